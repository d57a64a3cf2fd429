using System.Reflection;
using System.Runtime.CompilerServices;
using Dockyard.Server.Hosting;

namespace Dockyard.Server.Tests.Architecture;

/// <summary>
/// The edges (API endpoints in <c>Dockyard.Server.Api*</c>, UI pages and components in <c>Dockyard.Server.Ui*</c>, Razor
/// components included: they compile to classes in those namespaces) bind view models, never EF entities: no field,
/// property, method parameter or return type of theirs mentions a <c>Dockyard.Server.Data.Entities.*Entity</c>, not even
/// as a generic argument (<c>Task&lt;IReadOnlyList&lt;UserEntity&gt;&gt;</c>) or tuple element. Members the compiler
/// generates (async state machines, closures) are the method bodies' locals and are not checked.
/// </summary>
public sealed class EdgeViewModelTests
{
    private const string EntityNamespace = "Dockyard.Server.Data.Entities";

    /// <summary>
    /// Edge types that still mention entities, each with what is left to do. The list only shrinks: an entry that no
    /// longer mentions an entity fails the test too, so it is removed with the last use.
    /// </summary>
    private static readonly Dictionary<string, string> KnownEntityUses = new(StringComparer.Ordinal)
    {
    };

    private static readonly Lazy<IReadOnlyDictionary<string, IReadOnlyList<string>>> Uses = new(() => EntityUsesOf(typeof(DockyardApp).Assembly));

    [Fact]
    public void Edges_MentionNoEntities_ButKnownOnes()
    {
        var unexpected = Uses.Value.Where(u => !KnownEntityUses.ContainsKey(u.Key)).OrderBy(u => u.Key, StringComparer.Ordinal).ToList();

        Assert.True(
            unexpected.Count == 0,
            "Edge types that mention EF entities (bind a sealed record view instead, e.g. Webhooks/WebhookView):\n"
            + string.Join('\n', unexpected.Select(u => $"{u.Key}: {string.Join("; ", u.Value)}")));
    }

    [Fact]
    public void KnownEntityUses_StillMentionEntities()
    {
        Assert.All(KnownEntityUses.Keys, known => Assert.True(Uses.Value.ContainsKey(known), $"{known} mentions no entity any more: remove it from {nameof(KnownEntityUses)}."));
    }

    [Fact]
    public void Analysis_SeesGenericArgumentsTuplesAndRazorFields()
    {
        // A generic argument inside a task of a tuple: the shape the API's access helpers return.
        Assert.True(Mentions(typeof(Task<(Dockyard.Server.Data.Entities.UserEntity? User, object? Denied)>)));
        Assert.True(Mentions(typeof(IReadOnlyList<Dockyard.Server.Data.Entities.RepositoryEntity>[])));
        Assert.False(Mentions(typeof(Task<IReadOnlyList<Dockyard.Server.Webhooks.WebhookView>>)));

        // The analysis reaches Razor components (compiled classes in the Ui namespace) and their private fields.
        Assert.Contains(typeof(DockyardApp).Assembly.GetTypes(), t => t.FullName == "Dockyard.Server.Ui.Pages.Admin.Users");
        Assert.Contains(
            MembersOf(typeof(DockyardApp).Assembly.GetType("Dockyard.Server.Ui.Pages.Admin.Users")!),
            m => m.Member.StartsWith("field ", StringComparison.Ordinal));
    }

    /// <summary>Top-level edge type → the members (its own or its nested types') that mention an entity.</summary>
    private static IReadOnlyDictionary<string, IReadOnlyList<string>> EntityUsesOf(Assembly assembly)
    {
        var uses = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var type in assembly.GetTypes().Where(IsEdge))
        {
            foreach (var (member, mentioned) in MembersOf(type).Select(m => (m.Member, Entity: Mentioned(m.Type))).Where(m => m.Entity is not null))
            {
                var owner = TopLevel(type).FullName!;
                if (!uses.TryGetValue(owner, out var list))
                {
                    uses[owner] = list = [];
                }

                list.Add($"{type.Name}.{member} ({mentioned!.Name})");
            }
        }

        return uses.ToDictionary(u => u.Key, u => (IReadOnlyList<string>)u.Value, StringComparer.Ordinal);
    }

    private static bool IsEdge(Type type) =>
        type.Namespace is { } ns
        && (ns == "Dockyard.Server.Api" || ns.StartsWith("Dockyard.Server.Api.", StringComparison.Ordinal) || ns == "Dockyard.Server.Ui" || ns.StartsWith("Dockyard.Server.Ui.", StringComparison.Ordinal))
        && !IsCompilerGenerated(type);

    private static bool IsCompilerGenerated(Type type) =>
        type.IsDefined(typeof(CompilerGeneratedAttribute), inherit: false) || (type.DeclaringType is { } outer && IsCompilerGenerated(outer));

    private static Type TopLevel(Type type) => type.DeclaringType is { } outer ? TopLevel(outer) : type;

    /// <summary>Every declared field, property, method and constructor of <paramref name="type"/>, with each type it binds.</summary>
    private static IEnumerable<(string Member, Type Type)> MembersOf(Type type)
    {
        const BindingFlags declared = BindingFlags.DeclaredOnly | BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic;
        foreach (var field in type.GetFields(declared))
        {
            yield return ($"field {field.Name}", field.FieldType);
        }

        foreach (var property in type.GetProperties(declared))
        {
            yield return ($"property {property.Name}", property.PropertyType);
        }

        foreach (var method in type.GetMethods(declared))
        {
            yield return ($"{method.Name} returns", method.ReturnType);
            foreach (var parameter in method.GetParameters())
            {
                yield return ($"{method.Name}({parameter.Name})", parameter.ParameterType);
            }
        }

        foreach (var constructor in type.GetConstructors(declared))
        {
            foreach (var parameter in constructor.GetParameters())
            {
                yield return ($"constructor({parameter.Name})", parameter.ParameterType);
            }
        }
    }

    private static bool Mentions(Type type) => Mentioned(type) is not null;

    /// <summary>The entity <paramref name="type"/> mentions (itself, an element, a generic argument), or null.</summary>
    private static Type? Mentioned(Type type)
    {
        if (type.HasElementType)
        {
            return Mentioned(type.GetElementType()!);
        }

        if (type.Namespace == EntityNamespace && type.Name.EndsWith("Entity", StringComparison.Ordinal))
        {
            return type;
        }

        return type.IsGenericType ? type.GetGenericArguments().Select(Mentioned).FirstOrDefault(t => t is not null) : null;
    }
}
