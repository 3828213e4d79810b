/**
 * Preloaded (`--import`) into a server child process by the fault suite: moves that process's
 * clock (Date.now, which systemClock reads) forward by DRAMLINK_FAULT_CLOCK_SHIFT_MS. A restart "six
 * minutes later" without waiting six minutes: claims and leases the killed process held have run
 * out by the restarted process's clock, exactly as they would have in real time. Timers are not
 * touched, so waits of the process itself stay real.
 */
const shift = Number(process.env.DRAMLINK_FAULT_CLOCK_SHIFT_MS ?? '0');
if (Number.isFinite(shift) && shift !== 0) {
  const realNow = Date.now.bind(Date);
  Date.now = () => realNow() + shift;
}

export {};
