/** Build-time variables read by our code (WXT loads `WXT_*` from `.env.<mode>` files). */
interface ImportMetaEnv {
  /** Minutes between poll ticks; set to 0.05 in `.env.e2e` so end-to-end tests see polls. */
  readonly WXT_ALARM_PERIOD?: string;
}
