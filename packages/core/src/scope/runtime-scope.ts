/** Where a runtime's keys live: the isolation namespace, the app, and the deployment (build). */
export interface RuntimeScope {
  readonly namespace: string;
  readonly app: string;
  readonly deployment: string;
}

/** app: shared by every deployment of an app; deployment: private to one deployment. */
export type ScopeLevel = 'app' | 'deployment';
