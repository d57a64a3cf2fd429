using System.Text;
using Dockyard.Control.Compose.Yaml;

namespace Dockyard.Control.Compose;

/// <summary>
/// Parses Compose files (YAML) into a <see cref="ComposeProject"/>: interpolates <c>${VAR}</c>, <c>${VAR:-default}</c>,
/// <c>${VAR:?error}</c> from <c>environment</c>, merges the files in order, reads <c>env_file</c> and file-based secrets
/// and configs from <c>files</c> (keyed by the path as written), and refuses anything invalid with a <see cref="ComposeException"/>.
/// Keys Dockyard does not apply (<c>build</c>, <c>depends_on</c>…) become <see cref="ComposeWarning"/>s; <c>x-*</c> keys are ignored.
/// </summary>
public static class ComposeLoader
{
    /// <summary>The largest Compose file accepted, in bytes (UTF-8).</summary>
    public const int MaxSourceBytes = 1024 * 1024;

    public static ComposeLoadResult Load(
        IReadOnlyList<ComposeSource> sources,
        IReadOnlyDictionary<string, string> environment,
        IReadOnlyDictionary<string, byte[]> files)
    {
        ArgumentNullException.ThrowIfNull(sources);
        if (sources.Count == 0)
        {
            throw new ComposeException("compose.yml", 0, 0, "no Compose file given");
        }

        var context = new ComposeReadContext(environment, files);
        YamlMap? merged = null;
        foreach (var source in sources)
        {
            // Checked before parsing: a huge file costs nothing but this count.
            var bytes = Encoding.UTF8.GetByteCount(source.Text);
            if (bytes > MaxSourceBytes)
            {
                throw new ComposeException(source.Name, 0, 0, $"{source.Name} is {bytes:N0} bytes; the limit is 1 MiB");
            }

            var root = YamlTreeReader.Read(source.Name, source.Text) switch
            {
                YamlMap map => map,
                null => throw new ComposeException(source.Name, 0, 0, "the file is empty; a mapping with services: expected"),
                var other => throw ComposeReadContext.Fail(other, $"a mapping with services: expected at the top, not {other.Kind}"),
            };
            var interpolated = (YamlMap)Interpolate(root, environment, context);
            merged = merged is null ? interpolated : ComposeMerger.Merge(merged, interpolated);
        }

        var project = ComposeProjectReader.Read(merged!, context);
        return new ComposeLoadResult(project, context.Warnings);
    }

    private static YamlNode Interpolate(YamlNode node, IReadOnlyDictionary<string, string> environment, ComposeReadContext context)
    {
        switch (node)
        {
            case YamlScalar scalar:
                try
                {
                    var value = ComposeInterpolator.Interpolate(scalar.Value, environment, name =>
                        context.Warn(scalar, $"the variable {name} is not set; defaulting to a blank string"));
                    return value == scalar.Value ? scalar : scalar with { Value = value, Plain = false }; // an interpolated value is a string
                }
                catch (FormatException e)
                {
                    throw ComposeReadContext.Fail(scalar, e.Message);
                }

            case YamlMap map:
                return map.With([.. map.Entries.Select(e => e with { Value = Interpolate(e.Value, environment, context) })]);
            case YamlSequence seq:
                return seq with { Items = [.. seq.Items.Select(i => Interpolate(i, environment, context))] };
            default:
                return node;
        }
    }
}
