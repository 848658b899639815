namespace ResNetKeras.Keras;

/// <summary>
/// State a callback carries from epoch to epoch (a best value, a patience count) that <see cref="BackupAndRestore"/>
/// saves with the model, so that a resumed run makes the decisions the uninterrupted run would have made.
/// </summary>
internal interface IRestorableState
{
    /// <summary>The state, as named numbers.</summary>
    Dictionary<string, double> SaveState();

    /// <summary>Sets the state saved by <see cref="SaveState"/>.</summary>
    void RestoreState(IReadOnlyDictionary<string, double> state);
}
