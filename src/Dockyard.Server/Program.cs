using System.CommandLine;
using Dockyard.Server.Cli;
using Dockyard.Server.Cli.Stacks;

var root = new RootCommand("Dockyard: a self-hosted trusted container registry.")
{
    ServeCommand.Create(),
    MigrateCommand.Create(),
    ReindexCommand.Create(),
    GcCommand.Create(),
    FsckCommand.Create(),
    UserCommand.Create(),
    AdminCommand.Create(),
    RepositoryCommand.Create(),
    KeysCommand.Create(),
    TrustCommand.Create(),
    AuditCommand.Create(),
    RetentionCommand.Create(),
    StackCommand.Create(),
    SignCommand.Create(),
    SearchCommand.Create(),
    SearchCommand.CreateIndexCommand(),
    UpgradeCommand.Create(),
    BackupCommand.Create(),
    RestoreCommand.Create(),
    InstallCommand.Create(),
};
var config = ConfigFileOption.Create();
root.Options.Add(config);
DataRefusals.HandleIn(root);
var parse = root.Parse(args);
return ConfigFileOption.Apply(parse, config, Console.Error) ?? await StackCommand.InvokeAsync(parse);
