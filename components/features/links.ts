/** Where a feature view lives in Switchboard (under /views so a view named "entities" cannot shadow a tab). */
export const featureViewHref = (name: string) => `/features/views/${encodeURIComponent(name)}`;

/** A feature service's card on the services tab (each card's id is the service's name). */
export const featureServiceHref = (name: string) => `/features/services#${encodeURIComponent(name)}`;
