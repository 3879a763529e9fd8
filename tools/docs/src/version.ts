/** Version of @stateproof/docs, printed in the header of what it generates. */
export const DOCS_VERSION = '0.1.0';
