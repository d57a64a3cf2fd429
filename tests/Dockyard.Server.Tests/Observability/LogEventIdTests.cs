using System.Reflection;
using Dockyard.Registry.Content;
using Dockyard.Server.Hosting;
using Microsoft.Extensions.Logging;

namespace Dockyard.Server.Tests.Observability;

/// <summary>
/// Every <c>[LoggerMessage]</c> in the Dockyard assemblies has its own event id, so an operator's filter or alert on an
/// id means one message. The ranges are allocated per folder in docs/architecture.md ("Log event ids").
/// </summary>
public sealed class LogEventIdTests
{
    private const BindingFlags AllMethods = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly;

    [Fact]
    public void LoggerMessages_InDockyardAssemblies_HaveUniqueEventIds()
    {
        var messages = new[] { typeof(ManifestService).Assembly, typeof(DockyardApp).Assembly }
            .SelectMany(assembly => assembly.GetTypes())
            .SelectMany(type => type.GetMethods(AllMethods))
            .Select(method => (Method: method, Attribute: method.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(m => m.Attribute is not null)
            .Select(m => (m.Attribute!.EventId, Name: $"{m.Method.DeclaringType!.FullName}.{m.Method.Name}"))
            .ToList();

        // The scan must see the messages at all (a reflection change would otherwise pass vacuously).
        Assert.Contains(messages, m => m.Name == $"{typeof(DockyardApp).FullName}.LogStarted" && m.EventId == 1);
        var duplicates = messages.GroupBy(m => m.EventId)
            .Where(group => group.Count() > 1)
            .Select(group => $"{group.Key}: {string.Join(", ", group.Select(m => m.Name).Order(StringComparer.Ordinal))}")
            .ToList();
        Assert.True(duplicates.Count == 0, "Event ids used more than once:\n" + string.Join("\n", duplicates));
    }
}
