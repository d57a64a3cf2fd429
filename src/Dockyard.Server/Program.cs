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
    KeysCommand.Create(),
    TrustCommand.Create(),
    AuditCommand.Create(),
    RetentionCommand.Create(),
    StackCommand.Create(),
    SignCommand.Create(),
    UpgradeCommand.Create(),
    BackupCommand.Create(),
    RestoreCommand.Create(),
};
DataRefusals.HandleIn(root);
return await StackCommand.InvokeAsync(root.Parse(args));
