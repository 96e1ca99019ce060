namespace NvrBlazor.Tests.Support;

public static class Eventually
{
    /// <summary>Polls until the condition holds (bounded): for state that a server updates a moment after a camera sends.</summary>
    public static async Task<T> ValueAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan? timeout = null, string? what = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        T value = await read();
        while (!done(value))
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Still not true after {(timeout ?? TimeSpan.FromSeconds(15)).TotalSeconds} s: {what}. Last value: {value}");
            await Task.Delay(100);
            value = await read();
        }
        return value;
    }
}
