// oidc-provider ships no type declarations; the tests use it through the small surface in oidc.ts.
declare module 'oidc-provider';
