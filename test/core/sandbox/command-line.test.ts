/**
 * String commands read as simple command lines when the sandbox checks commands: what a
 * shell would run, or where and why the line is refused.
 */
import { describe, expect, it } from 'vitest';
import { isShellSyntax, parseSimpleCommand } from '../../../src/core/sandbox/command-line.js';

describe('parseSimpleCommand', () => {
  it.each([
    ['node server.js --port 3000', {}, ['node', 'server.js', '--port', '3000']],
    ['  node\tserver.js  ', {}, ['node', 'server.js']],
    [`node -e 'console.log("a; b && $(c)")'`, {}, ['node', '-e', 'console.log("a; b && $(c)")']],
    ['node "my app.js" ""', {}, ['node', 'my app.js', '']],
    ['echo a\\;b "\\"q\\" \\$HOME \\x"', {}, ['echo', 'a;b', '"q" $HOME \\x']],
    [
      'PORT=3000 NODE_ENV=production node app.js',
      { PORT: '3000', NODE_ENV: 'production' },
      ['node', 'app.js'],
    ],
    ["MSG='a b' node app.js X=1", { MSG: 'a b' }, ['node', 'app.js', 'X=1']],
    ['/usr/bin/node --flag=a,b@c+d%e', {}, ['/usr/bin/node', '--flag=a,b@c+d%e']],
    ['"A=1" node', {}, ['A=1', 'node']],
  ])('%s', (line, assignments, argv) => {
    expect(parseSimpleCommand(line)).toEqual({ assignments, argv });
  });

  it.each([
    ['node a.js; rm -rf /', '; at column 10 runs another command'],
    ['node a.js && curl evil', '&& at column 11 runs another command'],
    ['node a.js || sh', '|| at column 11 runs another command'],
    ['node a.js | sh', '| at column 11 runs another command'],
    ['node a.js &', '& at column 11 runs another command'],
    ['node $(which evil)', '$( at column 6 runs another command'],
    ['node "$(which evil)"', '$( at column 7 inside double quotes runs another command'],
    ['node `evil`', '` at column 6 runs another command'],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: shell syntax is the subject here
    ['node ${SCRIPT}', '${ at column 6 expands a variable'],
    ['$EVIL app.js', '$ at column 1 expands a variable'],
    ['node a.js > /etc/passwd', '> at column 11 redirects output'],
    ['node < input', '< at column 6 redirects input'],
    ['(node a.js)', '( at column 1 starts a subshell'],
    ['node a.js\nrm -rf /', 'a line break at column 10 starts another command'],
    ['node *.js', '* at column 6 expands to file names'],
    ['node ~/app.js', '~ at column 6 expands to a home folder'],
    ['node a.js # comment', '# at column 11 starts a comment'],
    ["node 'a.js", "unterminated ' at column 6"],
    ['node "a.js', 'unterminated " at column 6'],
    ['node a.js \\', '\\ at the end of a line (column 11) continues the command'],
    ['A=1 B=2', 'no program to run, only variable assignments'],
  ])('refuses %j', (line, problem) => {
    const parsed = parseSimpleCommand(line);
    expect(isShellSyntax(parsed) && parsed.problem).toBe(problem);
  });
});
