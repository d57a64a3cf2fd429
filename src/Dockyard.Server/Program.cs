using System.CommandLine;
using Dockyard.Server.Cli;

var root = new RootCommand("Dockyard: a self-hosted trusted container registry.")
{
    ServeCommand.Create(),
    ReindexCommand.Create(),
    GcCommand.Create(),
    FsckCommand.Create(),
    UserCommand.Create(),
    AdminCommand.Create(),
    KeysCommand.Create(),
    AuditCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
