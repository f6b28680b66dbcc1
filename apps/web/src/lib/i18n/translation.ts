/** A language's texts for a feature: exactly the reference language's keys, each a string. */
export type Translation<Reference> = { readonly [K in keyof Reference]: string };
