using Dockyard.Control.Compose;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Dockyard.Server.Cli.Stacks;

/// <summary>
/// The files a stack's Compose files name and the server cannot read itself: each service's <c>env_file</c> (a path, a
/// list of paths, or a list of <c>{path, required}</c>) and the <c>file:</c> of top-level <c>secrets</c> and
/// <c>configs</c>. A light walk of the YAML only — the server parses and validates the Compose files in full. Paths
/// are resolved against the project directory and may not leave it (<see cref="ProjectPaths"/>); the result is keyed by
/// the path as written, which is how the server's Compose loader looks them up.
/// </summary>
internal static class ComposeAttachments
{
    /// <summary>The largest attachment sent (Swarm itself takes secrets up to 500 KiB, configs up to 1000 KiB).</summary>
    public const int MaxAttachmentBytes = 1024 * 1024;

    /// <summary>Reads every attachment of <paramref name="files"/>; a refused or missing file throws a <see cref="ComposeException"/> at its position.</summary>
    public static IReadOnlyDictionary<string, byte[]> Collect(IReadOnlyList<ComposeFileInput> files, string projectDirectory, ILogger logger)
    {
        var attachments = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            foreach (var reference in References(file))
            {
                if (attachments.ContainsKey(reference.Path))
                {
                    continue;
                }

                if (reference.Path.Contains('$', StringComparison.Ordinal))
                {
                    throw new ComposeException(file.Name, reference.Line, reference.Column, $"{reference.What}: '{reference.Path}': variables in file paths are not supported by dockyard stack deploy; write the path");
                }

                var full = ProjectPaths.Resolve(projectDirectory, reference.Path, out var refusal);
                if (refusal is not null)
                {
                    throw new ComposeException(file.Name, reference.Line, reference.Column, $"{reference.What}: {refusal}");
                }

                if (!File.Exists(full))
                {
                    if (!reference.Required)
                    {
                        continue;
                    }

                    throw new ComposeException(file.Name, reference.Line, reference.Column, $"{reference.What}: '{reference.Path}' does not exist (looked for {full})");
                }

                var length = new FileInfo(full).Length;
                if (length > MaxAttachmentBytes)
                {
                    throw new ComposeException(file.Name, reference.Line, reference.Column, $"{reference.What}: '{reference.Path}' is {length} bytes; at most {MaxAttachmentBytes} are sent");
                }

                var bytes = File.ReadAllBytes(full);
                StackCliLog.Attachment(logger, reference.Path, bytes.Length, file.Name);
                attachments[reference.Path] = bytes;
            }
        }

        return attachments;
    }

    /// <summary>The file references of one Compose file with their positions; invalid YAML throws at the fault.</summary>
    public static IReadOnlyList<AttachmentReference> References(ComposeFileInput file)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(file.Text));
        }
        catch (YamlException e)
        {
            throw new ComposeException(file.Name, (int)e.Start.Line, (int)e.Start.Column, e.InnerException?.Message ?? e.Message);
        }

        var found = new List<AttachmentReference>();
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            return found;
        }

        foreach (var (_, service) in Entries(root, "services"))
        {
            if (service is YamlMappingNode serviceMap && Child(serviceMap, "env_file") is { } envFile)
            {
                AddEnvFiles(envFile, found);
            }
        }

        foreach (var kind in new[] { "secrets", "configs" })
        {
            foreach (var (name, definition) in Entries(root, kind))
            {
                if (definition is YamlMappingNode map && Child(map, "file") is YamlScalarNode { Value: { } path } node)
                {
                    found.Add(new AttachmentReference(path, $"{kind}.{name}.file", true, Line(node), Column(node)));
                }
            }
        }

        return found;
    }

    private static void AddEnvFiles(YamlNode envFile, List<AttachmentReference> found)
    {
        var items = envFile is YamlSequenceNode sequence ? sequence.Children : [envFile];
        foreach (var item in items)
        {
            switch (item)
            {
                case YamlScalarNode { Value: { } path }:
                    found.Add(new AttachmentReference(path, "env_file", true, Line(item), Column(item)));
                    break;
                case YamlMappingNode map when Child(map, "path") is YamlScalarNode { Value: { } path } node:
                    var required = Child(map, "required") is not YamlScalarNode { Value: { } value } || !string.Equals(value, "false", StringComparison.OrdinalIgnoreCase);
                    found.Add(new AttachmentReference(path, "env_file", required, Line(node), Column(node)));
                    break;
            }
        }
    }

    private static IEnumerable<(string Name, YamlNode Value)> Entries(YamlMappingNode root, string key) =>
        Child(root, key) is YamlMappingNode map
            ? map.Children.Select(c => ((c.Key as YamlScalarNode)?.Value ?? string.Empty, c.Value))
            : [];

    private static YamlNode? Child(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private static int Line(YamlNode node) => (int)node.Start.Line;

    private static int Column(YamlNode node) => (int)node.Start.Column;
}
