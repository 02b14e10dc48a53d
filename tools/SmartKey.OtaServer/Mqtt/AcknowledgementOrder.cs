using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using MQTTnet;

namespace SmartKey.OtaServer.Mqtt;

/// <summary>One message from the broker on its way through a worker.</summary>
public sealed class Delivery
{
    public Delivery(MqttApplicationMessageReceivedEventArgs message) => Message = message;

    public MqttApplicationMessageReceivedEventArgs Message { get; }

    public bool Done { get; set; }

    public bool Handled { get; set; }

    public Task? AckTask { get; set; }
}

/// <summary>
/// Several workers finish messages out of order, but MQTT wants QoS 1 acknowledgements in the order the
/// messages arrived: a finished message is acknowledged once every earlier one is finished too. A message
/// whose handling failed is passed over unacknowledged, so the broker delivers it again after a reconnect.
/// </summary>
public sealed class AcknowledgementOrder
{
    private readonly Queue<Delivery> _arrived = new();

    public Delivery Arrived(MqttApplicationMessageReceivedEventArgs message)
    {
        var d = new Delivery(message);
        lock (_arrived) _arrived.Enqueue(d);
        return d;
    }

    public Task DoneAsync(Delivery delivery, bool handled, CancellationToken ct)
    {
        var due = new List<Delivery>();
        lock (_arrived)
        {
            delivery.Handled = handled;
            delivery.Done = true;
            while (_arrived.Count > 0 && _arrived.Peek().Done)
            {
                var head = _arrived.Dequeue();
                if (!head.Handled) continue;
                // Started inside the lock, so acknowledgements are handed to the client in arrival order.
                head.AckTask = head.Message.AcknowledgeAsync(ct);
                due.Add(head);
            }
        }

        return Task.WhenAll(due.ConvertAll(d => d.AckTask!));
    }
}
