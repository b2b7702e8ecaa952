// A net server and a client in one node process's event loop, over TCP on
// localhost: the client sends N lines of 8 bytes, one at a time, and the
// server answers each; node counts what each side received.
const net = require('net');
const N = +process.argv[2];
let got = 0, answered = 0, buf = '';
const srv = net.createServer(s => {
  let b = '';
  s.on('data', d => { b += d; while (b.includes('\n')) { b = b.slice(b.indexOf('\n') + 1); answered++; s.write('ok ' + String(answered).padStart(4, '0') + '\n'); } });
});
srv.listen(0, '127.0.0.1', () => {
  const c = net.connect(srv.address().port, '127.0.0.1', () => c.write('m 00000\n'));
  c.on('data', d => {
    buf += d;
    while (buf.includes('\n')) {
      buf = buf.slice(buf.indexOf('\n') + 1); got++;
      if (got < N) c.write('m ' + String(got).padStart(5, '0') + '\n');
      else { console.log('server got', answered, 'client got', got); c.end(); srv.close(); }
    }
  });
});
