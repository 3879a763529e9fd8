/** Version of @stateproof/lint (a test keeps it equal to package.json). */
export const LINT_VERSION = '0.1.0';

/** The tool name reports and SARIF carry. */
export const TOOL_NAME = 'stateproof';
