using System.Globalization;
using System.Text;

namespace ResNetKeras.Keras;

public partial class Model
{
    /// <summary>
    /// Prints Keras 2.6's summary table (format A): 98 columns with stops at 32/53/65/98 and a
    /// "Connected to" column for graphs with merges, or 65 columns with stops 29/55/65 for a
    /// sequential-like graph; then the parameter totals with thousands separators.
    /// </summary>
    /// <remarks>
    /// <paramref name="lineLength"/> and <paramref name="positions"/> are Keras's <c>line_length</c> and <c>positions</c>:
    /// the total width, and the column stops as fractions of it (all ≤ 1) or as absolute widths.
    /// </remarks>
    public void Summary(Action<string>? printFn = null, int? lineLength = null, double[]? positions = null)
    {
        printFn ??= Console.WriteLine;
        foreach (var line in SummaryLines(lineLength, positions)) printFn(line);
    }

    /// <summary>The summary as text, lines ended with \n.</summary>
    public string SummaryText(int? lineLength = null, double[]? positions = null) => string.Join("\n", SummaryLines(lineLength, positions)) + "\n";

    private bool IsSequentialLike()
    {
        var byDepth = executionOrder.GroupBy(n => NodeDepths[n]);
        foreach (var g in byDepth)
            if (g.Count() > 1 || g.First().Inputs.Length > 1) return false;
        return Layers.All(l => l.InboundNodes.Count(n => executionOrder.Contains(n)) <= 1);
    }

    private List<string> SummaryLines(int? lineLengthArg = null, double[]? positionsArg = null)
    {
        if (!Built) throw NotBuilt();
        bool sequential = IsSequentialLike();
        int lineLength = lineLengthArg ?? (sequential ? 65 : 98);
        if (lineLength <= 0)
            throw new ArgumentException($"Invalid value for argument `line_length`. Expected a positive integer. Received: line_length={lineLength}", "lineLength");
        double[] fractions = positionsArg ?? (sequential ? [0.45, 0.85, 1.0] : [0.33, 0.55, 0.67, 1.0]);
        if (fractions.Length != (sequential ? 3 : 4))
            throw new ArgumentException($"Invalid value for argument `positions`: expected {(sequential ? 3 : 4)} column stops for this model; received {fractions.Length}.", "positions");
        // Keras: stops of at most 1 are fractions of the line length, larger ones absolute widths.
        int[] positions = fractions[^1] <= 1 ? fractions.Select(p => (int)(lineLength * p)).ToArray() : fractions.Select(p => (int)p).ToArray();
        string[] header = sequential ? ["Layer (type)", "Output Shape", "Param #"] : ["Layer (type)", "Output Shape", "Param #", "Connected to"];
        var lines = new List<string>
        {
            $"Model: \"{Name}\"",
            new string('_', lineLength),
            Row(header, positions),
            new string('=', lineLength),
        };
        var relevant = new HashSet<Node>(executionOrder, ReferenceEqualityComparer.Instance);
        for (int i = 0; i < Layers.Count; i++)
        {
            var layer = Layers[i];
            var nodes = layer.InboundNodes.Where(relevant.Contains).ToList();
            string outShape = OutputShapeText(layer);
            string fields0 = $"{layer.Name} ({layer.ClassName})";
            string parameters = layer.CountParams().ToString(CultureInfo.InvariantCulture);
            if (sequential) lines.Add(Row([fields0, outShape, parameters], positions));
            else
            {
                var connections = new List<string>();
                foreach (var node in nodes)
                    foreach (var t in node.Inputs)
                        connections.Add($"{t.Node!.Layer.Name}[{SavedNodeIndex(t, keras3: false)}][0]");
                lines.Add(Row([fields0, outShape, parameters, connections.Count > 0 ? connections[0] : ""], positions));
                for (int c = 1; c < connections.Count; c++) lines.Add(Row(["", "", "", connections[c]], positions));
            }
            lines.Add(new string(i == Layers.Count - 1 ? '=' : '_', lineLength));
        }
        long trainable = TrainableWeights.Sum(w => (long)w.Value.Size);
        long nonTrainable = NonTrainableWeights.Sum(w => (long)w.Value.Size);
        // Python's '{:,}' whatever the current culture.
        lines.Add(string.Format(CultureInfo.InvariantCulture, "Total params: {0:N0}", trainable + nonTrainable));
        lines.Add(string.Format(CultureInfo.InvariantCulture, "Trainable params: {0:N0}", trainable));
        lines.Add(string.Format(CultureInfo.InvariantCulture, "Non-trainable params: {0:N0}", nonTrainable));
        lines.Add(new string('_', lineLength));
        return lines;
    }

    /// <summary>
    /// Keras's <c>layer.output_shape</c>: the shape when every call of the layer (in any model) produced the same
    /// shape, else "multiple"; an InputLayer shows the list form <c>[(None, 32, 32, 3)]</c>.
    /// </summary>
    private static string OutputShapeText(Layer layer)
    {
        if (layer is InputLayer il) return "[" + KerasTensor.FormatShape(il.BatchShape) + "]";
        var shapes = layer.InboundNodes.Select(n => n.Output.ShapeText).Distinct().ToList();
        return shapes.Count == 1 ? shapes[0] : "multiple";
    }

    /// <summary>Keras's print_row: each field replaces the last character so far by a space, then is cut and padded to its stop.</summary>
    private static string Row(string[] fields, int[] positions)
    {
        var line = new StringBuilder();
        for (int i = 0; i < fields.Length; i++)
        {
            if (i > 0) line.Length -= 1;
            if (i > 0) line.Append(' ');
            line.Append(fields[i]);
            if (line.Length > positions[i]) line.Length = positions[i];
            line.Append(' ', positions[i] - line.Length);
        }
        return line.ToString();
    }
}
