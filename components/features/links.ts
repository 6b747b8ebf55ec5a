/** Where a feature view lives in Switchboard (under /views so a view named "entities" cannot shadow a tab). */
export const featureViewHref = (name: string) => `/features/views/${encodeURIComponent(name)}`;
