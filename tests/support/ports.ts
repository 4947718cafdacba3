import net from 'node:net';

/**
 * Asks the kernel for an unused TCP port on the loopback interface.
 * There is a small window between closing here and the real server binding,
 * which is acceptable for tests: the kernel rarely hands the same port out again
 * that quickly.
 */
export async function freePort(): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error('freePort: listening socket has no TCP address'));
        return;
      }
      const { port } = address;
      server.close((err) => (err ? reject(err) : resolve(port)));
    });
  });
}
