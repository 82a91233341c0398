import {
  DEFAULT_AUTH_FAILURE_LIMIT,
  DEFAULT_DB_WAIT,
  DEFAULT_POSTBACK_REFUSAL_LIMIT,
  DEFAULT_RETRY_SCHEDULE,
} from '../config.ts'

export const HELP = `backtrack — self-hosted server-to-server postback tracking

Usage:
  npx backtrack serve [--port N] [--host H] [--db PATH]   HTTP server (tracking links, postbacks, admin API)
  npx backtrack migrate [--db PATH]                       bring the database schema up to date, then exit
  npx backtrack worker [--db PATH]                        outbound postback delivery only (scale out on PostgreSQL)
  npx backtrack admin-key rotate [--db PATH]              a new admin key, printed once to stderr;
                                                          the previous generated one stops working
  npx backtrack backup <file> [--db PATH]                 a consistent copy of the SQLite database, taken
                                                          while servers run; never overwrites <file>
                                                          (PostgreSQL: pg_dump, see docs/operations.md)
  npx backtrack --help                                    this text
  npx backtrack --version                                 the version

Environment (flags win over variables):
  PORT                              port to listen on (default 8080)
  HOST                              address to listen on (default 0.0.0.0)
  BACKTRACK_DB                      SQLite file (default ./data/backtrack.db)
  DATABASE_URL                      postgres://user@host:port/db selects PostgreSQL instead of SQLite
  BACKTRACK_DB_WAIT                 how long start-up waits for PostgreSQL to answer, retrying
                                    (default ${DEFAULT_DB_WAIT}; 0 = try once)
  BACKTRACK_DB_CONNECT_TIMEOUT      PostgreSQL: how long opening a connection may take (default 5s)
  BACKTRACK_DB_STATEMENT_TIMEOUT    PostgreSQL: how long one statement may run (default 30s)
  BACKTRACK_DB_LOCK_TIMEOUT         SQLite: how long a write waits for another's lock (default 5s)
  BACKTRACK_UNWRITTEN_CLICKS        file keeping clicks the database would not take at shutdown,
                                    replayed at the next start (default beside BACKTRACK_DB, or
                                    ./data/unwritten-clicks.jsonl with DATABASE_URL)
  BACKTRACK_ADMIN_KEY               admin API key (≥16 random characters); if unset and the database has no
                                    admin key yet, one is generated, printed once and stored hashed
  BACKTRACK_PUBLIC_URL              base URL shown in tracking and postback links
                                    (default http://localhost:PORT; set it when other machines
                                    reach the server)
  BACKTRACK_RETRY_SCHEDULE          outbound postback retry delays (default ${DEFAULT_RETRY_SCHEDULE})
  BACKTRACK_ALLOW_PRIVATE_TARGETS   1 allows outbound postbacks to loopback/private addresses
  BACKTRACK_TRUST_PROXY             comma-separated proxy IPs/CIDRs whose X-Forwarded-For is believed
  BACKTRACK_LOG_LEVEL               fatal|error|warn|info|debug|trace|silent (default info)
  BACKTRACK_POSTBACK_LOG_RETENTION_DAYS
                                    days inbound postback log lines are kept (default 30; 0 = forever)
  BACKTRACK_CLICK_RETENTION_DAYS    days raw clicks are kept (default 90); reports keep their rollups
  BACKTRACK_LIVE_HEARTBEAT          live feed heartbeat interval (default 15s)
  BACKTRACK_RATE_LIMIT_POSTBACK_REFUSALS
                                    refused postbacks (4xx) per source address before 429
                                    rate_limited (default ${DEFAULT_POSTBACK_REFUSAL_LIMIT}; N/s, N/min,
                                    N/hour; 0 = no limit)
  BACKTRACK_RATE_LIMIT_AUTH_FAILURES
                                    failed API key checks (401) per source address before 429
                                    (default ${DEFAULT_AUTH_FAILURE_LIMIT}; 0 = no limit)
  BACKTRACK_WORKER_METRICS_PORT     \`backtrack worker\` serves /metrics (admin key) and /healthz on
                                    this port at HOST (default: none; 0 picks a free port)
  BACKTRACK_SESSION_IDLE            a sign-in session unused this long ends (default 12h)
  BACKTRACK_SESSION_MAX             a sign-in session ends this long after login (default 7d)
  BACKTRACK_REQUIRE_2FA             off|staff: staff = admins and managers must use two-factor
  BACKTRACK_SMTP_URL                smtp:// or smtps:// URL; invites are mailed when set
  BACKTRACK_SMTP_FROM               sender of invite mails (default Backtrack <backtrack@localhost>)

Signals: SIGTERM or SIGINT stops accepting requests, finishes those in flight, closes the database.
`
