namespace ResNetKeras.Keras;

/// <summary>One call of a layer in a functional graph: its input tensors and its output tensor (Keras's <c>Node</c>).</summary>
internal sealed class Node
{
    public Node(Layer layer, KerasTensor[] inputs, int nodeIndex)
    {
        Layer = layer;
        Inputs = inputs;
        NodeIndex = nodeIndex;
    }

    public Layer Layer { get; }
    public KerasTensor[] Inputs { get; }
    public KerasTensor Output { get; set; } = null!;
    public int NodeIndex { get; }
}
