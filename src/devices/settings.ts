/** What the device services need from the configuration, passed in by the routes (services never read config). */
export type DeviceSettings = {
  /** The key that hashes and encrypts personal codes (a need entered by form creates its pupil). */
  personalCodeKey: Buffer;
  /** Days from a hand-over to the date the device is due back, when none is given. */
  loanDays: number;
  /** Devices in stock longer than this many days are flagged. */
  staleStockDays: number;
};
