// A build that leaves a process tree behind if it is not stopped properly: two children, one of them in its own
// session (as some tools' workers are), and a grandchild. Prints every pid, then waits.
const { spawn } = require('node:child_process');
const forever = ['-e', 'setInterval(() => {}, 1000)'];
const child = spawn(process.execPath, forever, { stdio: 'ignore' });
const detached = spawn(process.execPath, forever, { stdio: 'ignore', detached: true });
const parent = spawn(process.execPath, ['-e', `require('node:child_process').spawn(process.execPath, ${JSON.stringify(forever)}, { stdio: 'ignore' }); setInterval(() => {}, 1000)`], { stdio: 'ignore' });
setTimeout(() => console.log(`PIDS ${process.pid} ${child.pid} ${detached.pid} ${parent.pid}`), 300);
setInterval(() => {}, 1000);
