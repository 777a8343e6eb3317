// A build tool Kirby does not know, driven from the terminal: each line typed is a command.
// "build" prints a build that succeeds, "fail" one that fails with a located problem, "quit" exits.
const readline = require('node:readline');
console.log('MYTOOL v1 watching');
const rl = readline.createInterface({ input: process.stdin });
rl.on('line', (line) => {
  const command = line.trim();
  if (command === 'build') {
    console.log('MYTOOL: starting');
  } else if (command === 'ok') {
    console.log('MYTOOL: all good');
  } else if (command === 'fail') {
    console.log('MYTOOL: failed');
    console.log('MYTOOL problem src/index.ts:2:9 bad greeting');
  } else if (command === 'quit') {
    process.exit(3);
  }
});
