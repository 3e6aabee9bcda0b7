/**
 * A Nomad job as this export builds it: the one model that is written as HCL (what people
 * read, nomad-hcl.ts) and as the JSON of Nomad's jobs API (what can be checked against its
 * documented structure, nomad-json.ts). Durations in ms; each writer converts.
 */

export interface NomadJob {
  readonly id: string;
  readonly type: 'service' | 'batch';
  readonly meta: Readonly<Record<string, string>>;
  readonly periodic?: NomadPeriodic;
  readonly groups: readonly NomadGroup[];
}

export interface NomadPeriodic {
  readonly cron: string;
  readonly timeZone?: string;
  readonly prohibitOverlap: boolean;
}

export interface NomadGroup {
  readonly name: string;
  readonly count: number;
  readonly meta: Readonly<Record<string, string>>;
  /** Static ports the group's services and checks use, by label. */
  readonly ports: readonly { readonly label: string; readonly port: number }[];
  readonly services: readonly NomadService[];
  readonly restart: {
    readonly attempts: number;
    readonly intervalMs: number;
    readonly delayMs: number;
    readonly mode: 'fail' | 'delay';
  };
  readonly reschedule: {
    readonly attempts: number;
    readonly intervalMs: number;
    readonly delayMs: number;
    readonly maxDelayMs: number;
    readonly unlimited: boolean;
  };
  readonly tasks: readonly NomadTask[];
}

export interface NomadService {
  readonly name: string;
  readonly portLabel: string;
  readonly checks: readonly NomadCheck[];
}

export interface NomadCheck {
  readonly name: string;
  readonly type: 'http' | 'tcp';
  readonly path?: string;
  readonly protocol?: 'http' | 'https';
  readonly intervalMs: number;
  readonly timeoutMs: number;
  /** A liveness check: restart the task after this many failures in a row. */
  readonly restartLimit?: number;
  readonly graceMs?: number;
}

export interface NomadTask {
  readonly name: string;
  readonly driver: 'raw_exec';
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly user?: string;
  readonly killSignal: string;
  readonly killTimeoutMs: number;
  readonly resources?: { readonly cpu?: number; readonly memoryMB?: number };
  readonly lifecycle?: { readonly hook: 'prestart' | 'poststart'; readonly sidecar: boolean };
  readonly templates: readonly NomadTemplate[];
  readonly logs?: { readonly maxFiles: number; readonly maxFileSizeMB: number };
  readonly meta: Readonly<Record<string, string>>;
}

export interface NomadTemplate {
  readonly data: string;
  readonly destination: string;
  readonly env: boolean;
}
