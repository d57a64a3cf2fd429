namespace Dockyard.Server.Data;

/// <summary>
/// Dockyard will not work on this data directory or database (a wrong path, a directory it cannot write, another
/// account's files, a schema newer than this build). The message is one sentence for the operator, without the
/// <c>dockyard:</c> prefix; commands print it and exit 2.
/// </summary>
internal sealed class DataRefusedException(string message) : Exception(message);
