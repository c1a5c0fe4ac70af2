/** Query parameters of a Kantata request (its own file: the client and the pagination both need it). */
export type KantataQuery = Record<string, string | number | boolean | undefined>;
