// The standard AWS credential sources that need Node (environment, files, local metadata
// endpoints). A separate entry point (`@fusio/s3/node-credentials`) so that browser and Workers
// bundles of `@fusio/s3` never load node:fs or read process.env.
import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { FusioError } from "@fusio/core";
import { parseXml, xmlChild, xmlText } from "@fusio/http/xml";
import type { CredentialsProvider } from "./credentials.ts";
import type { S3Credentials } from "./signer.ts";

const context = { op: "credentials", backend: "s3" };

function missing(message: string): FusioError {
  return new FusioError("PermissionDenied", message, context);
}

/** `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and optional `AWS_SESSION_TOKEN`. */
export function fromEnv(env: NodeJS.ProcessEnv = process.env): CredentialsProvider {
  return () => {
    const accessKeyId = env.AWS_ACCESS_KEY_ID;
    const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
    if (!accessKeyId || !secretAccessKey) throw missing("AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY are not set");
    return { accessKeyId, secretAccessKey, sessionToken: env.AWS_SESSION_TOKEN || undefined };
  };
}

/** Parses an INI file into sections of key/value pairs. */
export function parseIni(text: string): Record<string, Record<string, string>> {
  const sections: Record<string, Record<string, string>> = {};
  let current: Record<string, string> | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) continue;
    const header = /^\[\s*([^\]]+?)\s*\]$/.exec(line);
    if (header) {
      current = {};
      sections[header[1] as string] = current;
      continue;
    }
    const eq = line.indexOf("=");
    if (current !== undefined && eq > 0) current[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return sections;
}

/**
 * The shared files: `~/.aws/credentials` (or `AWS_SHARED_CREDENTIALS_FILE`) and `~/.aws/config`
 * (or `AWS_CONFIG_FILE`, section `profile <name>`), profile `AWS_PROFILE` or `default`. Static
 * keys only (SSO and `credential_process` are not supported).
 */
export function fromSharedFiles(options: { profile?: string; env?: NodeJS.ProcessEnv } = {}): CredentialsProvider {
  return async () => {
    const env = options.env ?? process.env;
    const profile = options.profile ?? env.AWS_PROFILE ?? "default";
    const credentialsFile = env.AWS_SHARED_CREDENTIALS_FILE ?? join(homedir(), ".aws", "credentials");
    const configFile = env.AWS_CONFIG_FILE ?? join(homedir(), ".aws", "config");
    const read = (path: string) =>
      readFile(path, "utf8").then(parseIni, () => ({}) as Record<string, Record<string, string>>);
    const [credentials, config] = await Promise.all([read(credentialsFile), read(configFile)]);
    const section =
      credentials[profile] ?? config[profile === "default" ? "default" : `profile ${profile}`] ?? undefined;
    const accessKeyId = section?.aws_access_key_id;
    const secretAccessKey = section?.aws_secret_access_key;
    if (!accessKeyId || !secretAccessKey) throw missing(`profile ${profile} has no static keys in the shared files`);
    return { accessKeyId, secretAccessKey, sessionToken: section?.aws_session_token || undefined };
  };
}

function fromJson(body: Record<string, string>): S3Credentials {
  const accessKeyId = body.AccessKeyId;
  const secretAccessKey = body.SecretAccessKey;
  if (!accessKeyId || !secretAccessKey) throw missing("the credentials endpoint returned no keys");
  return {
    accessKeyId,
    secretAccessKey,
    sessionToken: body.Token || undefined,
    expiration: body.Expiration ? new Date(body.Expiration) : undefined,
  };
}

async function getJson(url: string, headers: Record<string, string>): Promise<Record<string, string>> {
  const response = await fetch(url, { headers, signal: AbortSignal.timeout(5_000) });
  if (!response.ok) throw missing(`the credentials endpoint answered ${response.status}`);
  return (await response.json()) as Record<string, string>;
}

/**
 * ECS / EKS Pod Identity container credentials: `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` (on
 * 169.254.170.2) or `AWS_CONTAINER_CREDENTIALS_FULL_URI`, with `AWS_CONTAINER_AUTHORIZATION_TOKEN`
 * or the token in `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE`.
 */
export function fromContainer(env: NodeJS.ProcessEnv = process.env): CredentialsProvider {
  return async () => {
    const relative = env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI;
    const url = relative ? `http://169.254.170.2${relative}` : env.AWS_CONTAINER_CREDENTIALS_FULL_URI;
    if (!url) throw missing("no container credentials endpoint is configured");
    let token = env.AWS_CONTAINER_AUTHORIZATION_TOKEN;
    if (env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE) {
      token = (await readFile(env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE, "utf8")).trim();
    }
    return fromJson(await getJson(url, token ? { authorization: token } : {}));
  };
}

/**
 * EC2 instance role via IMDSv2 (a session token first, then the role's credentials).
 * `endpoint` defaults to `AWS_EC2_METADATA_SERVICE_ENDPOINT` or `http://169.254.169.254`.
 */
export function fromInstanceMetadata(
  options: { endpoint?: string; env?: NodeJS.ProcessEnv } = {},
): CredentialsProvider {
  return async () => {
    const env = options.env ?? process.env;
    if (env.AWS_EC2_METADATA_DISABLED === "true") throw missing("IMDS is disabled");
    const base = (options.endpoint ?? env.AWS_EC2_METADATA_SERVICE_ENDPOINT ?? "http://169.254.169.254").replace(
      /\/$/,
      "",
    );
    const tokenResponse = await fetch(`${base}/latest/api/token`, {
      method: "PUT",
      headers: { "x-aws-ec2-metadata-token-ttl-seconds": "21600" },
      signal: AbortSignal.timeout(1_000),
    });
    if (!tokenResponse.ok) throw missing(`IMDS refused a session token (${tokenResponse.status})`);
    const headers = { "x-aws-ec2-metadata-token": await tokenResponse.text() };
    const path = `${base}/latest/meta-data/iam/security-credentials/`;
    const roles = await fetch(path, { headers, signal: AbortSignal.timeout(1_000) });
    if (!roles.ok) throw missing(`IMDS has no instance role (${roles.status})`);
    const role = (await roles.text()).split("\n")[0]?.trim();
    if (!role) throw missing("IMDS has no instance role");
    return fromJson(await getJson(`${path}${encodeURIComponent(role)}`, headers));
  };
}

/**
 * Web identity (EKS IRSA and similar): `AWS_WEB_IDENTITY_TOKEN_FILE` + `AWS_ROLE_ARN` exchanged with
 * STS [AssumeRoleWithWebIdentity](https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html).
 */
export function fromWebIdentity(options: { env?: NodeJS.ProcessEnv; stsEndpoint?: string } = {}): CredentialsProvider {
  return async () => {
    const env = options.env ?? process.env;
    const tokenFile = env.AWS_WEB_IDENTITY_TOKEN_FILE;
    const roleArn = env.AWS_ROLE_ARN;
    if (!tokenFile || !roleArn) throw missing("AWS_WEB_IDENTITY_TOKEN_FILE / AWS_ROLE_ARN are not set");
    const token = (await readFile(tokenFile, "utf8")).trim();
    const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
    const endpoint =
      options.stsEndpoint ?? (region ? `https://sts.${region}.amazonaws.com` : "https://sts.amazonaws.com");
    const form = new URLSearchParams({
      Action: "AssumeRoleWithWebIdentity",
      Version: "2011-06-15",
      RoleArn: roleArn,
      RoleSessionName: env.AWS_ROLE_SESSION_NAME ?? `fusio-${Date.now()}`,
      WebIdentityToken: token,
    });
    const response = await fetch(endpoint, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: form.toString(),
      signal: AbortSignal.timeout(5_000),
    });
    const text = await response.text();
    if (!response.ok) throw missing(`STS refused the web identity (${response.status})`);
    const result = xmlChild(parseXml(text), "AssumeRoleWithWebIdentityResult");
    const credentials = result && xmlChild(result, "Credentials");
    const accessKeyId = credentials && xmlText(credentials, "AccessKeyId");
    const secretAccessKey = credentials && xmlText(credentials, "SecretAccessKey");
    if (!credentials || !accessKeyId || !secretAccessKey) throw missing("STS returned no credentials");
    const expiration = xmlText(credentials, "Expiration");
    return {
      accessKeyId,
      secretAccessKey,
      sessionToken: xmlText(credentials, "SessionToken"),
      expiration: expiration ? new Date(expiration) : undefined,
    };
  };
}

/**
 * The standard chain, first source that works: environment, web identity, shared files,
 * container, instance metadata. Pass it as `credentials`; S3Fs caches the result and calls it
 * again before temporary credentials expire.
 */
export function defaultCredentials(env: NodeJS.ProcessEnv = process.env): CredentialsProvider {
  const sources: CredentialsProvider[] = [
    fromEnv(env),
    fromWebIdentity({ env }),
    fromSharedFiles({ env }),
    fromContainer(env),
    fromInstanceMetadata({ env }),
  ];
  return async () => {
    const failures: string[] = [];
    for (const source of sources) {
      try {
        return await source();
      } catch (error) {
        failures.push(error instanceof Error ? error.message : String(error));
      }
    }
    throw missing(`no AWS credentials found (${failures.join("; ")})`);
  };
}
