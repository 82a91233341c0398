/**
 * Start-up cannot go on, for a reason the operator can fix. The CLI prints the message alone, one
 * line naming what to change, without a stack trace: a stack tells a newcomer nothing.
 */
export class StartupError extends Error {}
