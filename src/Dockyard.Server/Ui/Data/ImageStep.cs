using Dockyard.Registry.Manifests;

namespace Dockyard.Server.Ui.Data;

/// <summary>
/// One line of an image's history, in build order: a step that made a layer (<see cref="Layer"/>, numbered from 1), a
/// step that changed only metadata (ENV, WORKDIR, CMD: <c>empty_layer</c>), or a layer the history does not explain.
/// </summary>
/// <param name="LayerNumber">The layer's 1-based position in the manifest; null for a step without a layer.</param>
/// <param name="Layer">The layer this step made; null when it made none (or the manifest lacks it).</param>
/// <param name="Entry">The history entry; null for a layer beyond the history.</param>
internal sealed record ImageStep(int? LayerNumber, ImageLayer? Layer, ImageHistoryEntry? Entry)
{
    /// <summary>The step declared that it made no layer (<c>empty_layer: true</c>).</summary>
    public bool IsEmptyLayer => Entry?.EmptyLayer == true;

    /// <summary>
    /// Pairs the history with the layers: entries without <c>empty_layer</c> take the layers in order (as
    /// <see cref="ImageConfig.HistoryForLayers"/> does); empty-layer entries stay in their place between them.
    /// </summary>
    public static IReadOnlyList<ImageStep> Of(IReadOnlyList<ImageHistoryEntry> history, IReadOnlyList<ImageLayer> layers)
    {
        var steps = new List<ImageStep>(history.Count + layers.Count);
        var next = 0;
        foreach (var entry in history)
        {
            if (entry.EmptyLayer || next >= layers.Count)
            {
                steps.Add(new ImageStep(null, null, entry));
                continue;
            }

            steps.Add(new ImageStep(next + 1, layers[next], entry));
            next++;
        }

        for (; next < layers.Count; next++)
        {
            steps.Add(new ImageStep(next + 1, layers[next], null));
        }

        return steps;
    }
}
