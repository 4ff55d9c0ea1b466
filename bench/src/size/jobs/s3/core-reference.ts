// Reference, not a library: the floor plus @fusio/core's Path, FusioError and OpenOptions, which
// every fusio backend carries (see ../../core-pieces.ts).
import { withCorePieces } from "../../core-pieces.ts";
import floor from "./aws4fetch.ts";

export default withCorePieces(floor);
