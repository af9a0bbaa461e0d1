// The `parley` command: one sub-command per file in this folder.
const commands: Record<string, () => Promise<{ run(args: string[]): Promise<number> }>> = {
  serve: () => import('./serve.js'),
  user: () => import('./user.js'),
  score: () => import('./score.js'),
  model: () => import('./model.js'),
};

const [name, ...args] = process.argv.slice(2);
const load = name ? commands[name] : undefined;
if (!load) {
  process.stderr.write(
    'usage: parley <command> [options]\n\n' +
      'commands:\n' +
      '  serve                      serve Parley over HTTP (PORT, DATABASE_URL, PARLEY_DATA_DIR)\n' +
      '  user create --username U --password P [--email E] [--role commenter|moderator|admin]\n' +
      '  score "text"               print the classifier scores and spans of a text as JSON\n' +
      '  score --jsonl              score {"id","text"} lines from standard input\n' +
      '  model export-decisions --site SITE [--out file.csv]   a site\'s moderator decisions as training data\n' +
      '  model train --base shipped --data file.csv [--out path.model]   fine-tune a site model\n',
  );
  process.exit(name ? 2 : 0);
}
const command = await load();
process.exitCode = await command.run(args);
