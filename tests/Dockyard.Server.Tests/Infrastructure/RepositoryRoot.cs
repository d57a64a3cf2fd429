namespace Dockyard.Server.Tests.Infrastructure;

/// <summary>The checkout the tests run from (the directory holding Dockyard.slnx), for tests that read its sources or docs.</summary>
internal static class RepositoryRoot
{
    public static string Path()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "Dockyard.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Dockyard.slnx above {AppContext.BaseDirectory}.");
    }
}
