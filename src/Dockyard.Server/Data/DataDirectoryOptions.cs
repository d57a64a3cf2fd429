namespace Dockyard.Server.Data;

/// <summary>Configuration key <c>Dockyard:DataDirectory</c> (CLI <c>--data</c>): where embedded defaults keep their files.</summary>
public sealed record DataDirectoryOptions
{
    public const string Key = "Dockyard:DataDirectory";

    public string Path { get; init; } = "data";

    public string FullPath => System.IO.Path.GetFullPath(Path);
}
