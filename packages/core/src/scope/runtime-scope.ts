/** Where a runtime's keys live: the isolation namespace, the app, and the deployment (build). */
export interface RuntimeScope {
  /** The adapter's isolation namespace. */
  readonly namespace: string;
  /** The application name. */
  readonly app: string;
  /** The deployment (build) name. */
  readonly deployment: string;
}

/** app: shared by every deployment of an app; deployment: private to one deployment. */
export type ScopeLevel = 'app' | 'deployment';
