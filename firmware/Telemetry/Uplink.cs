using System.Collections;
using SmartKey.Firmware.Battery;
using SmartKey.Firmware.Crypto;
using SmartKey.Firmware.Identity;
using SmartKey.Firmware.Ota;
using SmartKey.Firmware.Settings;
using SmartKey.Hal;

namespace SmartKey.Firmware.Telemetry
{
    /// <summary>
    /// The lock's one MQTT connection, opened only inside a window (Wi-Fi costs power): it sends the queued
    /// telemetry, fetches an offered update chunk by chunk (offer, chunk requests and replies, status), and
    /// closes as soon as nothing is left, but not before OfferWaitMs after connecting: the broker delivers
    /// a retained offer only after the subscription, and a window that closed at once would never see it.
    /// Connecting retries with back-off (2 s … 300 s) while the window lasts; a broker that is down only
    /// delays the queue, never the lock. Incoming messages are queued by the client's thread and handled
    /// here on the main loop; malformed ones get an error status.
    /// Wi-Fi time is bounded even against forged OTA traffic: only the first accepted offer of a window, and
    /// only chunks of the requested length, extend the window (to WindowMs from now), and never past the
    /// offer's budget: WindowMs plus ChunkRequestTimeoutMs per MaxChunk of the image, what a server that
    /// answers every request in time needs. A source feeding 1-byte chunks gets one WindowMs.
    /// </summary>
    public sealed class Uplink
    {
        public const int WindowMs = 60000;
        public const int ChunkRequestTimeoutMs = 5000;
        public const int OfferWaitMs = 2000;
        public const int MaxIncoming = 8;
        public const int MaxStatuses = 8;

        private readonly IMqttLink _mqtt;
        private readonly string _prefix;
        private readonly ProvisionedIdentity _identity;
        private readonly RunningFirmware _firmware;
        private readonly BatteryMonitor _battery;
        private readonly TelemetryQueue _telemetry;
        private readonly ErrorCounters _errors;
        private readonly ActiveSettings _settings;
        private readonly UpdateAgent _ota;
        private readonly OtaPreparation _otaPreparation;
        private readonly Queue _incoming = new Queue();
        private readonly Queue _statuses = new Queue();
        private Topics _topics;
        private bool _open;
        private long _windowEndMs;
        private long _nextAttemptMs;
        private long _connectedAtMs;
        private int _backoffMs = 2000;
        private long _chunkRequestedAtMs = -1;
        private int _requestedOffset = -1;
        private int _requestedLength;
        private bool _offerExtended;
        private long _downloadDeadlineMs;

        public Uplink(IMqttLink mqtt, string prefix, ProvisionedIdentity identity, RunningFirmware firmware, BatteryMonitor battery, TelemetryQueue telemetry, ErrorCounters errors, ActiveSettings settings, UpdateAgent ota, OtaPreparation otaPreparation)
        {
            _mqtt = mqtt;
            _prefix = prefix;
            _identity = identity;
            _firmware = firmware;
            _battery = battery;
            _telemetry = telemetry;
            _errors = errors;
            _settings = settings;
            _ota = ota;
            _otaPreparation = otaPreparation;
            mqtt.MessageReceived += OnMessage;
            ota.StatusChanged += OnOtaStatus;
        }

        public bool Active
        {
            get { return _open; }
        }

        public int ReportsSent { get; private set; }

        public int ConnectAttempts { get; private set; }

        public void Detach()
        {
            _mqtt.MessageReceived -= OnMessage;
            _ota.StatusChanged -= OnOtaStatus;
        }

        /// <summary>Opens (or extends) a window; nothing happens without an identity or with a critical battery.</summary>
        public void OpenWindow(long nowMs)
        {
            if (_identity.Current == null || !_battery.AllowsWifi) return;
            _topics = new Topics(_prefix, _identity.Current.Serial);
            if (!_open) _offerExtended = false;
            _open = true;
            if (_windowEndMs < nowMs + WindowMs) _windowEndMs = nowMs + WindowMs;
        }

        /// <summary>New Wi-Fi credentials: forget the back-off, and send what waits in the queue at once.</summary>
        public void NetworkChanged(long nowMs)
        {
            _nextAttemptMs = 0;
            _backoffMs = 2000;
            if (_telemetry.Count > 0) OpenWindow(nowMs);
        }

        public void Poll(long nowMs)
        {
            if (!_open) return;
            if (!_battery.AllowsWifi || nowMs > _windowEndMs)
            {
                Close();
                return;
            }

            if (!_mqtt.IsConnected)
            {
                if (nowMs < _nextAttemptMs) return;
                ConnectAttempts++;
                if (!_mqtt.Connect(_identity.Current.Serial) || !_mqtt.Subscribe(_topics.OtaOffer, 1) || !_mqtt.Subscribe(_topics.OtaChunk, 1))
                {
                    _mqtt.Disconnect();
                    _nextAttemptMs = nowMs + _backoffMs;
                    _backoffMs = _backoffMs >= 150000 ? 300000 : _backoffMs * 2;
                    return;
                }

                _backoffMs = 2000;
                _requestedOffset = -1;
                _connectedAtMs = nowMs;
            }

            HandleIncoming(nowMs);
            if (!SendStatuses() || !SendReports()) return;
            RequestChunk(nowMs);
            // Verifying: stay for the verdict (a few seconds of steps), so the server hears testing or failed before the reboot.
            bool idle = _ota.State != OtaState.Downloading && _ota.State != OtaState.Verifying && _incoming.Count == 0 && _telemetry.Count == 0 && _statuses.Count == 0;
            if (idle && nowMs - _connectedAtMs >= OfferWaitMs) Close();
        }

        private void HandleIncoming(long nowMs)
        {
            while (true)
            {
                object[] message;
                lock (_incoming)
                {
                    if (_incoming.Count == 0) return;
                    message = (object[])_incoming.Dequeue();
                }

                string topic = (string)message[0];
                byte[] payload = (byte[])message[1];
                _otaPreparation.Prepare();
                if (topic == _topics.OtaOffer && payload.Length == 0)
                {
                    continue;                          // a cleared retained offer
                }

                if (topic == _topics.OtaOffer)
                {
                    OtaOffer offer = OtaOffer.Decode(payload, 0, payload.Length);
                    if (offer == null)
                    {
                        QueueStatus(OtaState.Failed, OtaError.BadOffer, 0, 0);
                        continue;
                    }

                    byte accepted = _ota.Offer(offer);
                    _requestedOffset = -1;
                    if (accepted == OtaError.None && !_offerExtended)
                    {
                        _offerExtended = true;
                        _downloadDeadlineMs = nowMs + WindowMs + (long)((offer.ImageSize + UpdateAgent.MaxChunk - 1) / UpdateAgent.MaxChunk) * ChunkRequestTimeoutMs;
                        Extend(nowMs);
                    }
                }
                else if (topic == _topics.OtaChunk)
                {
                    if (payload.Length < 5)
                    {
                        QueueStatus(_ota.State, OtaError.BadChunk, _ota.Offset, _ota.ImageSize);
                        continue;
                    }

                    int offset = (int)Bytes.ReadUInt32LittleEndian(payload, 0);
                    if (_ota.IsLateChunk(offset)) continue;
                    bool asked = offset == _requestedOffset && payload.Length - 4 == _requestedLength;
                    byte result = _ota.Chunk(offset, payload, 4, payload.Length - 4);
                    if (result == OtaError.BadChunk) QueueStatus(_ota.State, result, _ota.Offset, _ota.ImageSize);
                    if (result == OtaError.None && asked) Extend(nowMs);
                    _requestedOffset = -1;
                }
            }
        }

        private void RequestChunk(long nowMs)
        {
            if (_ota.State != OtaState.Downloading) return;
            int offset = _ota.Offset;
            if (_requestedOffset == offset && nowMs - _chunkRequestedAtMs < ChunkRequestTimeoutMs) return;
            int length = _ota.NextLength(UpdateAgent.MaxChunk);
            if (length == 0) return;
            byte[] request = new byte[6];
            Bytes.WriteUInt32LittleEndian((uint)offset, request, 0);
            Bytes.WriteUInt16LittleEndian(length, request, 4);
            if (_mqtt.Publish(_topics.OtaChunkRequest, request, 1))
            {
                _requestedOffset = offset;
                _requestedLength = length;
                _chunkRequestedAtMs = nowMs;
            }
        }

        /// <summary>A download made progress: WindowMs more, within the offer's budget.</summary>
        private void Extend(long nowMs)
        {
            long end = nowMs + WindowMs;
            if (end > _downloadDeadlineMs) end = _downloadDeadlineMs;
            if (end > _windowEndMs) _windowEndMs = end;
        }

        private bool SendReports()
        {
            int key, percent, millivolts;
            BatteryState state;
            while (_telemetry.TryPeek(out key, out percent, out millivolts, out state))
            {
                ErrorCounters errors = _settings.Current.ErrorReportsAllowed ? _errors : null;
                byte[] json = TelemetryJson.Report(_identity.Current.Serial, _firmware.Version, percent, millivolts, state, errors);
                if (!_mqtt.Publish(_topics.Telemetry, json, 1)) return false;
                _telemetry.Remove(key);
                if (errors != null) errors.Clear();
                ReportsSent++;
            }

            return true;
        }

        private bool SendStatuses()
        {
            while (true)
            {
                byte[] status;
                lock (_statuses)
                {
                    if (_statuses.Count == 0) return true;
                    status = (byte[])_statuses.Peek();
                }

                if (!_mqtt.Publish(_topics.OtaStatus, status, 1)) return false;
                lock (_statuses) _statuses.Dequeue();
            }
        }

        private void QueueStatus(byte state, byte error, int offset, int size)
        {
            lock (_statuses)
            {
                if (_statuses.Count >= MaxStatuses) _statuses.Dequeue();     // keep the newest
                _statuses.Enqueue(TelemetryJson.OtaStatus(state, error, offset, size));
            }
        }

        private void OnOtaStatus(byte state, byte error, int offset, int size)
        {
            QueueStatus(state, error, offset, size);
        }

        private void OnMessage(object sender, string topic, byte[] payload)
        {
            lock (_incoming)
            {
                if (_incoming.Count >= MaxIncoming || payload == null || payload.Length > UpdateAgent.MaxChunk + 64) return;
                _incoming.Enqueue(new object[] { topic, payload });
            }
        }

        private void Close()
        {
            _open = false;
            if (_mqtt.IsConnected) _mqtt.Disconnect();
        }
    }
}
