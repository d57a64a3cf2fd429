namespace Dockyard.Server.Cli.Stacks;

/// <summary>A file path a Compose file names (as written), what names it (<c>env_file</c>, <c>secrets.db.file</c>) and where.</summary>
internal sealed record AttachmentReference(string Path, string What, bool Required, int Line, int Column);
