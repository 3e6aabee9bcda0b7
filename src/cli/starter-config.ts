/**
 * The overseer.yaml that `overseer init` writes: small, valid as it is, and commented so that
 * a first reader sees each kind of entry (a service with a probe, a job it waits for, a
 * schedule and settings to uncomment) and where every key is explained.
 */

/**
 * The starter config, its first lines pointing editors at the schema `schemaReference`: the
 * YAML language server's comment (VS Code and others), then JetBrains IDEs'.
 */
export function starterConfig(schemaReference: string): string {
  return `# yaml-language-server: $schema=${schemaReference}
# $schema: ${schemaReference}
# The processes of this project: kept alive, healthy and started in order by overseer.
# Check it with \`overseer validate\`, run it with \`overseer up\`. Every key is explained in
# docs/configuration.md, and by your editor when you hover it (the lines above).
version: 1

# settings:
#   state_dir: .overseer          # socket, logs and state, relative to this file
#   max_processes: 20             # children alive at once (default: no limit)
#   logs: { max_size: 10MB, max_files: 5 }   # rotation of every process's log file
#   reload: true                  # apply each edit of this file, as \`overseer up -d\` does
#   api:
#     listen: 127.0.0.1:9615      # an HTTP API over TCP, besides the Unix socket
#     token: \${OVERSEER_TOKEN}    # required with listen: at least 16 characters

# defaults:                       # merged under every process; a process's own keys win
#   restart: { max_restarts: 5, delay: 2s }

processes:
  # A job: runs once to its end; what depends on it waits for it.
  migrate:
    kind: job
    command: node migrate.js

  # A service: kept alive, restarted when it exits, ready once its probe answers.
  web:
    command: node server.js
    env:
      PORT: 3000
    depends_on:
      migrate: completed_successfully
    readiness:
      http: http://127.0.0.1:3000/health
      interval: 1s
    restart:
      max_restarts: 10
      delay: 1s
    stop:
      timeout: 10s
    # limits: { memory: 512MB, cpu: 80% }
    # watch: { paths: [src], debounce: 500ms }   # restart on a change of these files

  # A job on a schedule: uncomment to run it every night at 03:00.
  # report:
  #   kind: job
  #   command: node report.js
  #   schedule: { cron: "0 3 * * *", timezone: UTC }
`;
}
