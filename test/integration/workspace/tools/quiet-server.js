// An HTTP server that prints nothing: Kirby must find its port by probing (the agent names the port it expects).
const port = Number(process.argv[2]);
require('node:http')
  .createServer((_request, response) => response.end('quiet'))
  .listen(port, '127.0.0.1');
