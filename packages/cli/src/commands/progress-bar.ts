/** A one-line progress bar on stderr (only when stderr is a terminal, else a line every 10%). */
export function progressBar(estimatedBytes: number) {
  let done = 0;
  let lastTenth = -1;
  const tty = process.stderr.isTTY;
  const draw = (final = false) => {
    const ratio = estimatedBytes > 0 ? Math.min(final ? 1 : 0.99, done / estimatedBytes) : final ? 1 : 0;
    const mb = (done / 1048576).toFixed(1);
    if (tty) {
      const width = 30;
      const filled = Math.round(ratio * width);
      process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Math.round(ratio * 100)}% ${mb} MB`);
      if (final) process.stderr.write('\n');
    } else {
      const tenth = Math.floor(ratio * 10);
      if (tenth !== lastTenth || final) {
        lastTenth = tenth;
        process.stderr.write(`backup: ${Math.round(ratio * 100)}% ${mb} MB\n`);
      }
    }
  };
  return {
    add(n: number) {
      done += n;
      draw();
    },
    done: () => draw(true),
  };
}
