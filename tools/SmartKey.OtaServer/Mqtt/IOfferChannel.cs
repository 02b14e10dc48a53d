using System.Threading.Tasks;

namespace SmartKey.OtaServer.Mqtt;

/// <summary>The retained ota/offer topic of each lock, as the rollout driver and erasure use it.</summary>
public interface IOfferChannel
{
    /// <summary>Publishes the offer retained (QoS 1); false when the broker did not take it.</summary>
    Task<bool> OfferAsync(string serial, byte[] offer);

    /// <summary>Clears the retained offer (an empty retained message); false when the broker did not take it.</summary>
    Task<bool> WithdrawAsync(string serial);
}
