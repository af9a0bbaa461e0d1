// The `parley` command: one sub-command per file in this folder.
const commands: Record<string, () => Promise<{ run(args: string[]): Promise<number> }>> = {
  serve: () => import('./serve.js'),
  user: () => import('./user.js'),
  score: () => import('./score.js'),
  import: () => import('./import.js'),
  export: () => import('./export.js'),
  backup: () => import('./backup.js'),
  site: () => import('./site.js'),
  model: () => import('./model.js'),
  mail: () => import('./mail.js'),
};

const [name, ...args] = process.argv.slice(2);
const load = name ? commands[name] : undefined;
if (!load) {
  process.stderr.write(
    'usage: parley <command> [options]\n\n' +
      'commands:\n' +
      '  serve [--workers N]        serve Parley over HTTP (PORT, HOST, DATABASE_URL, PARLEY_DATA_DIR)\n' +
      '  user create --username U --password P [--email E] [--role commenter|moderator|admin]\n' +
      '  site list                  print each site: id, name, allowed embed origins\n' +
      '  site allow-origin --site SITE_ID ORIGIN | site disallow-origin --site SITE_ID ORIGIN\n' +
      '  site sso --site SITE_ID --hs256-secret SECRET | --public-key FILE   host sign-on (docs/identity.md)\n' +
      '  site oidc add|list|remove --site SITE_ID [--name N --issuer URL --client-id ID --client-secret S]\n' +
      '  site webhook add --site SITE_ID --url URL [--events a,b] | site webhook list|remove --site SITE_ID [ID]\n' +
      '  mail digest | mail send    the daily digest of the queues to staff; send what the outbox holds now\n' +
      '  score "text"               print the classifier scores and spans of a text as JSON\n' +
      '  score --jsonl              score {"id","text"} lines from standard input\n' +
      '  import disqus|wordpress FILE.xml --site SITE [--queue]\n' +
      '                             import an existing discussion (resumable, idempotent)\n' +
      '  import parley ARCHIVE      read a site archive back in\n' +
      '  export --site SITE [--out FILE] [--format jsonl|csv]\n' +
      '                             a site archive (JSON Lines) or its comments as CSV\n' +
      '  backup --out FILE          a consistent copy of the database while it serves\n' +
      '  model export-decisions --site SITE [--out file.csv]   a site\'s moderator decisions as training data\n' +
      '  model train --base shipped --data file.csv [--out path.model]   fine-tune a site model\n',
  );
  process.exit(name ? 2 : 0);
}
const command = await load();
process.exitCode = await command.run(args);
