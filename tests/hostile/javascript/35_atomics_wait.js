// attempts: block the isolate thread with Atomics.wait
// expect: timed out|Atomics.wait cannot be called
// limit_s: 5
async function run(bot) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0)
}
