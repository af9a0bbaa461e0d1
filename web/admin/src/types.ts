// The API's JSON shapes come from one definition that the server builds them from: src/contracts/api.ts
// (types only, and the label list; it imports no server code).
export * from '../../../src/contracts/api.js';
