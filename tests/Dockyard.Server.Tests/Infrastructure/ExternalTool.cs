namespace Dockyard.Server.Tests.Infrastructure;

/// <summary>Finds the external programs the end-to-end tests drive, failing loudly (never skipping) when one is missing.</summary>
public static class ExternalTool
{
    private const string InstallHint = "run scripts/install-test-deps.sh (or scripts/test.sh, which runs it)";

    /// <summary>Returns the first existing executable among <paramref name="preferredPaths"/>, else <paramref name="name"/> on PATH.</summary>
    public static string Require(string name, string aptPackage, params string[] preferredPaths)
    {
        var found = Find(name, preferredPaths);
        if (found is not null)
        {
            return found;
        }

        throw new InvalidOperationException(
            $"Required test dependency `{name}` was not found (looked in {string.Join(", ", preferredPaths.DefaultIfEmpty("-"))} and on PATH). " +
            $"Install the Debian package `{aptPackage}` (`apt-get install {aptPackage}`), or {InstallHint}.");
    }

    public static string? Find(string name, params string[] preferredPaths)
    {
        foreach (var path in preferredPaths)
        {
            if (IsExecutable(path))
            {
                return path;
            }
        }

        var pathVariable = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var dir in pathVariable.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (IsExecutable(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>The docker CLI; prefers the one shipped with Debian's dockerd (same version) over any other on PATH.</summary>
    public static string Docker() => Require("docker", "docker.io", "/usr/bin/docker");

    public static string Dockerd() => Require("dockerd", "docker.io", "/usr/bin/dockerd", "/usr/sbin/dockerd");

    public static string Skopeo() => Require("skopeo", "skopeo", "/usr/bin/skopeo");

    /// <summary>The statically linked busybox of Debian's busybox-static, the only binary of the test image.</summary>
    public static string StaticBusybox()
    {
        const string path = "/bin/busybox";
        if (!File.Exists(path))
        {
            throw new InvalidOperationException(
                $"Required test dependency {path} was not found. Install the Debian package `busybox-static`, or {InstallHint}.");
        }

        if (HasElfInterpreter(path))
        {
            throw new InvalidOperationException(
                $"{path} is dynamically linked, so it cannot run alone in the test image. Install the Debian package `busybox-static`, or {InstallHint}.");
        }

        return path;
    }

    /// <summary>True when the 64-bit ELF file has a PT_INTERP program header, i.e. is dynamically linked.</summary>
    private static bool HasElfInterpreter(string path)
    {
        const uint ptInterp = 3;
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream);
        if (stream.Length < 64 || reader.ReadUInt32() != 0x464C457F || reader.ReadByte() != 2)
        {
            return false; // not a 64-bit ELF: leave it to docker to complain
        }

        stream.Position = 0x20;
        var programHeaderOffset = reader.ReadInt64();
        stream.Position = 0x36;
        var entrySize = reader.ReadUInt16();
        var entryCount = reader.ReadUInt16();
        for (var i = 0; i < entryCount; i++)
        {
            stream.Position = programHeaderOffset + ((long)i * entrySize);
            if (reader.ReadUInt32() == ptInterp)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsExecutable(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        return OperatingSystem.IsWindows() ||
               (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
    }
}
