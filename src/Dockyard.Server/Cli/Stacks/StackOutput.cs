using System.Globalization;
using System.Text.Json;
using Dockyard.Server.Cli.Stacks.Wire;

namespace Dockyard.Server.Cli.Stacks;

/// <summary>What the stack verbs print: tables, the result of a deploy, warnings and the server's refusals.</summary>
internal static class StackOutput
{
    private const int IdWidth = 12;

    public static void WriteList(TextWriter output, StackListWire list)
    {
        TextTable.Write(output, ["NAME", "SERVICES", "COLLECTION", "VERSION", "REVISION", "MANAGED"], (list.Items ?? []).Select(s => (IReadOnlyList<string>)
        [
            s.Name ?? "-",
            CountOf(s.Services),
            s.Collection ?? "-",
            s.Version ?? "-",
            s.Revision?.ToString(CultureInfo.InvariantCulture) ?? "-",
            s.Managed is false ? "no" : "yes",
        ]));
    }

    public static void WriteTasks(TextWriter output, StackTaskListWire tasks)
    {
        TextTable.Write(output, ["ID", "NAME", "IMAGE", "NODE", "DESIRED", "CURRENT", "ERROR"], (tasks.Items ?? []).Select(t => (IReadOnlyList<string>)
        [
            t.Id is { Length: > IdWidth } id ? id[..IdWidth] : t.Id ?? "-",
            TaskName(t),
            t.Image ?? "-",
            t.Node ?? t.NodeId ?? "-",
            t.DesiredState ?? "-",
            t.State ?? "-",
            OneLine(t.Error) ?? "",
        ]));
    }

    /// <summary>The deploy's result: the revision on standard output, one line per service, then the warnings on standard error.</summary>
    public static void WriteDeployed(TextWriter output, TextWriter error, string name, StackDetailWire detail, bool created)
    {
        var revision = detail.Revision?.ToString(CultureInfo.InvariantCulture) ?? "?";
        output.WriteLine($"{(created ? "Created" : "Updated")} stack {detail.Name ?? name}: revision {revision}" + (detail.Collection is { } collection ? $" (collection {collection})" : string.Empty));
        TextTable.Write(output, ["SERVICE", "MODE", "REPLICAS", "IMAGE"], (detail.Services ?? []).Select(s => (IReadOnlyList<string>)
        [
            s.ShortName ?? s.Name ?? "-",
            s.Mode ?? "-",
            s.Replicas?.ToString(CultureInfo.InvariantCulture) ?? "-",
            s.RunningImage ?? s.Image ?? "-",
        ]));
        WriteWarnings(error, detail.Warnings);
    }

    public static void WriteWarnings(TextWriter error, IEnumerable<JsonElement>? warnings)
    {
        foreach (var warning in warnings ?? [])
        {
            error.WriteLine("warning: " + DescribeWarning(warning));
        }
    }

    /// <summary><c>file:line:col: message</c> for a positioned warning, the text for a plain one.</summary>
    public static string DescribeWarning(JsonElement warning)
    {
        if (warning.ValueKind == JsonValueKind.String)
        {
            return warning.GetString() ?? string.Empty;
        }

        if (warning.ValueKind != JsonValueKind.Object)
        {
            return warning.GetRawText();
        }

        var message = Text(warning, "message") ?? warning.GetRawText();
        return Position(Text(warning, "file"), Number(warning, "line"), Number(warning, "column")) is { } position ? $"{position}: {message}" : message;
    }

    /// <summary>The lines that tell what the server refused and why: title, detail (at its Compose position), field errors, request id.</summary>
    public static IReadOnlyList<string> DescribeFailure(StackApiException failure)
    {
        var status = (int)failure.Status;
        if (failure.Problem is not { } problem)
        {
            return [$"error: the server answered {status} {failure.Status}" + (failure.Body.Length > 0 ? $": {OneLine(failure.Body)}" : string.Empty)];
        }

        var lines = new List<string>();
        var original = OneLine(problem.Detail);
        var detail = original;
        var position = Position(problem.File, problem.Line, problem.Column);
        if (position is not null && detail is not null)
        {
            // The server's detail may name the field first ("files: compose.yml:4:23: …"): lead with the position.
            var at = detail.IndexOf(position + ":", StringComparison.Ordinal);
            detail = at >= 0 ? detail[at..] : $"{position}: {detail}";
        }

        lines.Add("error: " + (problem.Title, detail) switch
        {
            ({ } title, { } text) => $"{title}: {text}",
            ({ } title, null) => title,
            (null, { } text) => text,
            _ => $"the server answered {status}",
        });
        foreach (var (field, messages) in problem.Errors ?? new Dictionary<string, string[]>())
        {
            foreach (var message in messages)
            {
                var line = $"  {field}: {message}";
                // A validation problem repeats its one field error in the detail: print it once.
                if (original is null || !original.Contains($"{field}: {message}", StringComparison.Ordinal))
                {
                    lines.Add(line);
                }
            }
        }

        if (failure.Status == System.Net.HttpStatusCode.Unauthorized)
        {
            lines.Add("  (check DOCKYARD_TOKEN or --token-file: the token is missing, expired or revoked)");
        }

        if (problem.RequestId is { } requestId)
        {
            lines.Add($"  request id: {requestId}");
        }

        return lines;
    }

    /// <summary><c>service.slot</c> as <c>docker stack ps</c> names a task, <c>service.node</c> for a global service's.</summary>
    public static string TaskName(StackTaskWire task) =>
        (task.Slot, task.NodeId) switch
        {
            ({ } slot, _) => $"{task.Service}.{slot.ToString(CultureInfo.InvariantCulture)}",
            (null, { Length: > 0 } node) => $"{task.Service}.{node}",
            _ => task.Service ?? "-",
        };

    private static string? Position(string? file, int? line, int? column) =>
        file is null ? null : line is > 0 ? $"{file}:{line}:{column ?? 0}" : file;

    private static string CountOf(JsonElement services) => services.ValueKind switch
    {
        JsonValueKind.Number => services.GetRawText(),
        JsonValueKind.Array => services.GetArrayLength().ToString(CultureInfo.InvariantCulture),
        _ => "-",
    };

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static int? Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number : null;

    private static string? OneLine(string? text) =>
        string.IsNullOrWhiteSpace(text) ? null : string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
