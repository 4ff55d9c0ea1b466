/** ETags as HEAD returns them: quoted. Listings give them bare; tags must compare equal. */
export function quoteEtag(etag: string | null | undefined): string | undefined {
  if (etag === null || etag === undefined || etag === "") return undefined;
  return etag.startsWith('"') || etag.startsWith('W/"') ? etag : `"${etag}"`;
}
