using System.Reflection;
using System.Reflection.Emit;
using System.Text.RegularExpressions;

namespace Dockyard.Server.Tests.Architecture;

/// <summary>
/// Which feature folder of Dockyard.Server uses which (folder = the namespace below <c>Dockyard.Server</c>), found two
/// ways and united: the compiled assembly (base types, interfaces, fields, properties, signatures, locals, attributes
/// and every type, method and field the IL names), which sees unqualified uses through any <c>using</c>; and the
/// source text (<c>using</c> directives and qualified <c>Dockyard.Server.X</c> names in .cs and .razor files), which
/// sees what leaves no trace in IL. Each edge keeps a few examples, to say where it comes from.
/// </summary>
internal sealed partial class FolderDependencies
{
    private const string Root = "Dockyard.Server.";
    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!).ToDictionary(o => o.Value);

    private readonly Dictionary<(string From, string To), (List<string> Assembly, List<string> Source)> _edges = [];

    public IEnumerable<(string From, string To)> Edges => _edges.Keys;

    /// <summary>Up to three examples of the edge from the assembly (<c>T uses U</c>), then up to three from the source.</summary>
    public IReadOnlyList<string> ExamplesOf(string from, string to) =>
        _edges.TryGetValue((from, to), out var examples) ? [.. examples.Assembly, .. examples.Source] : [];

    public bool DependsOn(string from, string to) => _edges.ContainsKey((from, to));

    /// <summary>Pairs of folders that use each other, each pair once, as "A↔B" with A before B.</summary>
    public IReadOnlyList<string> TwoWayPairs() => _edges.Keys
        .Where(e => string.CompareOrdinal(e.From, e.To) < 0 && _edges.ContainsKey((e.To, e.From)))
        .Select(e => $"{e.From}↔{e.To}").Order(StringComparer.Ordinal).ToList();

    public static FolderDependencies Of(Assembly assembly, string sourceDirectory)
    {
        var dependencies = new FolderDependencies();
        dependencies.AddAssembly(assembly);
        dependencies.AddSource(sourceDirectory);
        return dependencies;
    }

    /// <summary>The folder of a namespace, or null outside <c>Dockyard.Server.*</c> (the root, generated code).</summary>
    public static string? FolderOf(string? ns)
    {
        if (ns is null || !ns.StartsWith(Root, StringComparison.Ordinal))
        {
            return null;
        }

        var rest = ns[Root.Length..];
        var dot = rest.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? rest : rest[..dot];
    }

    public void Add(string from, string to, string example, bool fromSource)
    {
        if (from == to)
        {
            return;
        }

        if (!_edges.TryGetValue((from, to), out var examples))
        {
            _edges[(from, to)] = examples = ([], []);
        }

        var list = fromSource ? examples.Source : examples.Assembly;
        if (list.Count < 3 && !list.Contains(example))
        {
            list.Add(example);
        }
    }

    private void AddAssembly(Assembly assembly)
    {
        foreach (var type in assembly.GetTypes())
        {
            if (FolderOf(type.Namespace) is not { } from)
            {
                continue;
            }

            foreach (var used in UsedTypes(type))
            {
                if (used.Assembly == assembly && FolderOf(used.Namespace) is { } to)
                {
                    Add(from, to, $"{type.FullName} uses {used.FullName}", fromSource: false);
                }
            }
        }
    }

    private void AddSource(string directory)
    {
        var folders = Directory.EnumerateDirectories(directory).Select(Path.GetFileName).Where(f => f is not ("bin" or "obj")).ToHashSet(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(directory, "*.*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(directory, file).Replace('\\', '/');
            var slash = relative.IndexOf('/', StringComparison.Ordinal);
            if (slash < 0 || relative.StartsWith("bin/", StringComparison.Ordinal) || relative.StartsWith("obj/", StringComparison.Ordinal)
                || !(file.EndsWith(".cs", StringComparison.Ordinal) || file.EndsWith(".razor", StringComparison.Ordinal)))
            {
                continue;
            }

            var from = relative[..slash];
            foreach (Match match in QualifiedName().Matches(File.ReadAllText(file)))
            {
                if (folders.Contains(match.Groups["folder"].Value))
                {
                    Add(from, match.Groups["folder"].Value, $"{relative}: {match.Value}", fromSource: true);
                }
            }
        }
    }

    private static IEnumerable<Type> UsedTypes(Type type)
    {
        const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var found = new List<Type>();
        if (type.BaseType is { } baseType)
        {
            found.Add(baseType);
        }

        found.AddRange(type.GetInterfaces());
        found.AddRange(type.GetCustomAttributesData().Select(a => a.AttributeType));
        foreach (var field in type.GetFields(All))
        {
            found.Add(field.FieldType);
            found.AddRange(field.GetCustomAttributesData().Select(a => a.AttributeType));
        }

        foreach (var property in type.GetProperties(All))
        {
            found.Add(property.PropertyType);
            found.AddRange(property.GetCustomAttributesData().Select(a => a.AttributeType));
        }

        foreach (var method in type.GetMethods(All).Cast<MethodBase>().Concat(type.GetConstructors(All)))
        {
            found.AddRange(method.GetParameters().Select(p => p.ParameterType));
            found.AddRange(method.GetCustomAttributesData().Select(a => a.AttributeType));
            if (method is MethodInfo info)
            {
                found.Add(info.ReturnType);
            }

            if (method.GetMethodBody() is { } body)
            {
                found.AddRange(body.LocalVariables.Select(l => l.LocalType));
                found.AddRange(TypesNamedByIl(method, body.GetILAsByteArray() ?? []));
            }
        }

        return found.SelectMany(Expand);
    }

    /// <summary>The declaring types and signature types of every token operand (call, newobj, ldfld, ldtoken, castclass, …).</summary>
    private static IEnumerable<Type> TypesNamedByIl(MethodBase method, byte[] il)
    {
        var typeArguments = method.DeclaringType is { IsGenericType: true } declaring ? declaring.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        var position = 0;
        while (position < il.Length)
        {
            short value = il[position++];
            if (value == 0xFE)
            {
                value = (short)(0xFE00 | il[position++]);
            }

            var opCode = OpCodesByValue[value];
            switch (opCode.OperandType)
            {
                case OperandType.InlineNone:
                    break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                    position += 1;
                    break;
                case OperandType.InlineVar:
                    position += 2;
                    break;
                case OperandType.InlineI8 or OperandType.InlineR:
                    position += 8;
                    break;
                case OperandType.InlineSwitch:
                    position += 4 + (4 * BitConverter.ToInt32(il, position));
                    break;
                case OperandType.InlineField or OperandType.InlineMethod or OperandType.InlineTok or OperandType.InlineType:
                    foreach (var used in Resolve(method.Module, BitConverter.ToInt32(il, position), typeArguments, methodArguments))
                    {
                        yield return used;
                    }

                    position += 4;
                    break;
                default:
                    position += 4;
                    break;
            }
        }
    }

    private static IEnumerable<Type> Resolve(Module module, int token, Type[]? typeArguments, Type[]? methodArguments)
    {
        var member = module.ResolveMember(token, typeArguments, methodArguments);
        switch (member)
        {
            case Type type:
                yield return type;
                break;
            case FieldInfo field:
                yield return field.DeclaringType!;
                yield return field.FieldType;
                break;
            case MethodBase called:
                if (called.DeclaringType is { } declaring)
                {
                    yield return declaring;
                }

                foreach (var parameter in called.GetParameters())
                {
                    yield return parameter.ParameterType;
                }

                if (called is MethodInfo info)
                {
                    yield return info.ReturnType;
                    if (info.IsGenericMethod)
                    {
                        foreach (var argument in info.GetGenericArguments())
                        {
                            yield return argument;
                        }
                    }
                }

                break;
        }
    }

    /// <summary>A type and what it is built from: element types of arrays, pointers and by-refs, generic arguments.</summary>
    private static IEnumerable<Type> Expand(Type type)
    {
        if (type.IsGenericParameter)
        {
            yield break;
        }

        if (type.HasElementType)
        {
            foreach (var inner in Expand(type.GetElementType()!))
            {
                yield return inner;
            }

            yield break;
        }

        yield return type;
        if (type.IsConstructedGenericType)
        {
            foreach (var inner in type.GetGenericArguments().SelectMany(Expand))
            {
                yield return inner;
            }
        }
    }

    /// <summary><c>using Dockyard.Server.X…</c> (also <c>global</c>, <c>static</c>, aliases, Razor's <c>@using</c>) and qualified names.</summary>
    [GeneratedRegex(@"\bDockyard\.Server\.(?<folder>[A-Z]\w*)")]
    private static partial Regex QualifiedName();
}
