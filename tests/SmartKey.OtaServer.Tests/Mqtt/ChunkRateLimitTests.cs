using System;
using SmartKey.OtaServer.Mqtt;
using Xunit;

namespace SmartKey.OtaServer.Tests.Mqtt;

public sealed class ChunkRateLimitTests
{
    /// <summary>Monotonic time that moves only when the test says (the limiter reads timestamps, not wall time).</summary>
    private sealed class SteppedTime : TimeProvider
    {
        public long Ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Ticks;
    }

    [Fact]
    public void ALockGetsItsBurstThenItsRateAndABucketThatFilledUpIsForgottenWithoutChangingWhatItAllows()
    {
        var time = new SteppedTime();
        var limit = new ChunkRateLimit(perSecond: 10, burst: 4, time);
        for (int i = 0; i < 4; i++) Assert.True(limit.TryTake("SK-A"));
        Assert.False(limit.TryTake("SK-A"));                               // the burst is spent
        time.Ticks += TimeSpan.TicksPerSecond / 10;
        Assert.True(limit.TryTake("SK-A"));                                // one more after a tenth of a second
        Assert.False(limit.TryTake("SK-A"));

        // A fleet's worth of locks each fetch one chunk; a second later every bucket is full again.
        for (int i = 0; i < 9000; i++) limit.TryTake("SK-" + i);
        Assert.True(limit.Tracked > 4000, $"{limit.Tracked} buckets");
        time.Ticks += TimeSpan.TicksPerSecond;
        for (int i = 0; i < 4096; i++) limit.TryTake("SK-B");               // one lock keeps downloading: a sweep runs
        Assert.True(limit.Tracked < 10, $"{limit.Tracked} buckets left");

        // A forgotten lock starts again with the full burst it would have had anyway.
        for (int i = 0; i < 4; i++) Assert.True(limit.TryTake("SK-7"));
        Assert.False(limit.TryTake("SK-7"));
    }
}
