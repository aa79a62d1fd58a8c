// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Ownable, Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {IPlayerRegistry, IPlayerRegistryVault} from "../interfaces/IPlayerRegistry.sol";

/// @title PlayerRegistry
/// @notice Player protection every Fairstake stake meets: the Vault asks `beforeStake` before it
/// locks any stake of any game, so a game cannot skip it.
///
/// - Time-outs and self-exclusion, two separate breaks chosen by the player, both immediate:
///   a time-out lasts exactly 24 hours, 1 week, 1 month (30 days) or 6 weeks (`takeTimeOut`); a
///   self-exclusion at least 6 months (`MIN_EXCLUSION`, 184 days: the longest six consecutive
///   calendar months) up to 5 years (`MAX_EXCLUSION`), or for good. Nobody (the player, the owner,
///   an attestor) can lift or shorten either; the player may only extend a running one, and may
///   self-exclude during a time-out. While either runs every stake is refused (`TimedOut`,
///   `SelfExcluded`). Withdrawals never ask the registry, so a player on a break keeps full access
///   to their money. Bankroll deposits do (`requireNotExcluded`, once the Vault is wired to the
///   registry): being the house is gambling.
/// - The person, not only the address: every KYC attestation names a subject, a salted hash the
///   attestor chooses for the person (no personal data on chain). A wallet's first accepted
///   attestation binds it to that subject for good (no attestor can re-link it to a fresh subject;
///   a revocation keeps the binding). The person's time-outs and self-exclusions bind every wallet
///   bound to them: a break taken through any of them applies to all, a wallet's running break
///   extends the person's when the wallet is bound, and a new wallet attested to an excluded person
///   is refused at once. A KYC rule with threshold 0 therefore requires an attested subject for any
///   stake. Limits follow the person too: a bound wallet's `setLimit` sets the limit on the wallet
///   and on the person (`personOf`), whose windows count the stakes, payouts and deposits of all their
///   wallets; the wallet's own limits keep applying, so binding never loosens anything.
/// - Limits: per token, a loss, wager and/or deposit limit for each of three windows (24 h, 7 days,
///   30 days). Windows are fixed epochs counted from unix time 0 (`timestamp / length`), so
///   accounting is O(1) per window: the 7-day window starts on Thursdays 00:00 UTC (1970-01-01 was a
///   Thursday) and the 30-day window every 30 days from then. Adding or lowering a limit applies at
///   once; raising or removing one waits out a 24 h cooling-off and is then applied lazily on the
///   player's next stake or settlement, or by anyone through `applyPending`.
///   wager = sum of stakes in the window; loss = sum of stakes - sum of payouts in the window (an
///   open stake counts as lost until the Vault reports its payout); deposit = sum of the gross
///   amounts deposited into the Vault to the player's free balance in the window (`depositFor`,
///   `depositFrom`: the Vault asks `beforeDeposit` before it takes the money; payouts, refunds,
///   `payIn` credits and Vault `transfer`s between players are not deposits). Usage is recorded only while a
///   window has a limit, from the moment it got one; a payout is credited to the window in which it
///   arrives, and only for a stake counted here: `beforeStake` tells the Vault whether it recorded
///   the stake in a loss or wager window, the Vault keeps that bit in the lock and reports the
///   lock's payouts and refunds (`afterSettle`, Vault only) when it is set. A limit set while a bet
///   of an unlimited wallet is open therefore never credits that bet's payout against a stake it
///   never counted.
/// - KYC: registered attestors sign EIP-712 attestations {player, level, expiry, jurisdictionHash,
///   nonce, issuedAt, subject}; anyone submits them. No personal data on chain, only a hash of the
///   jurisdiction code. Per token, governance sets a threshold on the person's cumulative stakes:
///   once the stakes of that token in the current KYC window (the 30-day epoch of the limits'
///   Month window, `KYC_WINDOW`), this one included, reach the threshold, a valid KYC level is
///   required. The stakes are counted per person for wallets bound to a KYC subject (all their
///   wallets together; a wallet's stakes from before its binding join the person's count at its
///   first stake after it) and per address for unbound wallets. Splitting a stake into many small
///   ones (e.g. one `placeBets` call) or over a person's wallets therefore does not avoid it. The
///   level required is the staking wallet's own. Every stake made while the token has a rule is
///   counted, verified or not (refunds and wins do not uncount it); like the limit windows the
///   epoch is fixed, so stakes straddling an epoch boundary can reach just under twice the
///   threshold within 30 days, never more. A
///   revocation voids every attestation of the player issued at or before it (see
///   `revokeAttestation`).
///
/// Gas: a stake of an unbound wallet with no break, no limits, on a token without a KYC rule costs
/// two cold SLOADs (the wallet's slot, where break ends, limit counters, subject and KYC level are
/// packed, and the token's rule) and no caller check, and answers `clear`: a registered Vault then
/// keeps that answer beside the player's balance and skips asking again until the registry tells
/// it (`registryChanged`, on every registered Vault, before any break, loss or wager limit,
/// binding to a person or KYC rule takes effect: about 16,000 gas for one Vault and 14,000 more for
/// each further one, at most `MAX_VAULTS`); a token with a KYC rule adds the Vault check
/// and one read and one write of the window total per stake (a bound wallet's: its person's, and
/// one more read of the wallet's own pre-binding count). A deposit of a player with no deposit
/// limit costs one cold SLOAD and nothing else.
contract PlayerRegistry is IPlayerRegistry, EIP712, Ownable2Step {
    using SafeCast for uint256;

    // ------------------------------------------------------------------ types
    // LimitKind, Window, TimeOut and Attestation (the shared types), the events and the errors are
    // declared in IPlayerRegistry.

    /// @dev One slot per player: everything `beforeStake` needs for an unlimited player.
    struct PlayerState {
        uint40 excludedUntil; // unix time; PERMANENT for permanent exclusion
        uint40 timedOutUntil; // unix time the player's time-out ends
        uint40 kycExpiry; // the attestation is valid while block.timestamp < kycExpiry
        uint8 kycLevel;
        uint16 limitedTokens; // tokens with at least one active loss or wager limit
        uint16 depositLimitedTokens; // tokens with at least one active deposit limit
        uint64 subjectId; // compact id of the person (KYC subject) this wallet is bound to; 0: none
    }

    /// @dev What only `attest` and `revokeAttestation` need, kept out of the hot slot.
    struct KycRecord {
        uint64 nonce; // highest attestation nonce accepted (replay and downgrade guard)
        uint40 revokedAt; // last revocation; attestations issued at or before it are void
    }

    /// @dev Which windows of a (player, token) carry limits, and when the next pending change is due.
    struct LimitHeader {
        uint8 activeWindows; // bit w: window w has a loss or wager limit
        uint8 depositWindows; // bit w: window w has a deposit limit
        uint16 pendingMask; // bit (KINDS * w + kind): a raise/removal is waiting out its cooling-off
        uint40 nextPendingAt; // earliest effective time among pending changes
    }

    /// @dev The deposit limit of one window and the deposits counted in epoch `epoch` (one slot).
    /// `limit` is meaningful only while the window is active (see `_depositLimit`).
    struct DepositWindow {
        uint96 limit;
        uint32 epoch;
        uint112 deposited;
    }

    /// @dev The limits of one window; NO_LIMIT means none. Meaningful only while the window is active
    /// (an inactive window reads as NO_LIMIT for both kinds: see `_windowLimits`).
    struct WindowLimits {
        uint96 loss;
        uint96 wager;
    }

    /// @dev Usage of one window during epoch `epoch`.
    struct Usage {
        uint32 epoch;
        int112 netLoss;
        uint112 wagered;
    }

    struct PendingLimit {
        uint96 value;
        uint40 effectiveAt;
    }

    /// @dev `level` first: the lowest byte of the slot, which `beforeStake`'s fast path tests.
    struct KycRule {
        uint8 level; // 0: no rule for this token
        uint128 threshold; // once a person's stakes in the KYC window reach it, KYC level >= `level` is needed
    }

    // ------------------------------------------------------------------ constants
    uint96 public constant NO_LIMIT = type(uint96).max;
    uint40 public constant PERMANENT = type(uint40).max;
    /// @notice Shortest self-exclusion: 184 days, the longest any six consecutive calendar months
    /// last (July to December), so it is at least six months by every count.
    uint256 public constant MIN_EXCLUSION = 184 days;
    /// @notice Longest timed self-exclusion (5 years of 365 days); longer: `selfExcludePermanently`.
    uint256 public constant MAX_EXCLUSION = 5 * 365 days;
    uint256 public constant COOLING_OFF = 24 hours;
    /// @notice The window over which stakes are summed against a token's KYC threshold.
    Window public constant KYC_WINDOW = Window.Month;
    /// @dev The bits of a PlayerState slot holding `limitedTokens` (128..143) and `subjectId` (160..223).
    uint256 internal constant _UNLIMITED_MASK = (uint256(type(uint16).max) << 128) | (uint256(type(uint64).max) << 160);
    /// @notice Most Vaults one registry serves: each is told of every tightening (`registryChanged`),
    /// so this bounds what a self-exclusion, a time-out or a new limit costs its player.
    uint256 public constant MAX_VAULTS = 8;
    /// @notice Gas each Vault gets to forget its clear answers (a Vault needs under 10,000).
    uint256 public constant VAULT_NOTICE_GAS = 30_000;
    uint256 internal constant WINDOWS = 3;
    uint256 internal constant KINDS = 3;
    bytes32 public constant ATTESTATION_TYPEHASH = keccak256(
        "KycAttestation(address player,uint8 level,uint64 expiry,bytes32 jurisdictionHash,uint64 nonce,uint64 issuedAt,bytes32 subject)"
    );

    // ------------------------------------------------------------------ storage
    mapping(address player => PlayerState) internal _players;
    mapping(address player => mapping(address token => LimitHeader)) internal _headers;
    mapping(address player => mapping(address token => WindowLimits[WINDOWS])) internal _limits;
    mapping(address player => mapping(address token => Usage[WINDOWS])) internal _usage;
    mapping(address player => mapping(address token => PendingLimit[KINDS][WINDOWS])) internal _pending;
    mapping(address player => mapping(address token => DepositWindow[WINDOWS])) internal _deposits;
    mapping(address player => KycRecord) internal _kyc;
    /// @dev The subject each wallet is bound to (one-way: set by its first attestation, never changed).
    mapping(address player => bytes32 subject) internal _subjectOf;
    mapping(bytes32 subject => uint64 id) internal _subjectIds;
    uint64 internal _subjectCount;
    mapping(address player => bytes32) internal _jurisdiction;
    mapping(address token => KycRule) internal _kycRules;
    /// @dev Per account and token, the stakes counted against the KYC threshold in the current
    /// KYC_WINDOW epoch (`wagered`; `netLoss` unused), recorded only while the token has a rule: a
    /// person's account counts every bound wallet's stakes; a wallet's own, its stakes while unbound.
    mapping(address player => mapping(address token => Usage)) internal _kycUsage;
    mapping(address attestor => bool) public isAttestor;
    /// @notice Vaults allowed to report stakes (`beforeStake`), their payouts (`afterSettle`) and
    /// player deposits (`beforeDeposit`).
    mapping(address vault => bool) public isVault;
    /// @dev The registered Vaults, told of every tightening.
    address[] internal _vaults;

    // ------------------------------------------------------------------ events
    // Declared in IPlayerRegistry.

    // ------------------------------------------------------------------ errors
    // Declared in IPlayerRegistry.

    /// @param owner_ governance (a TimelockController in production)
    constructor(address owner_) EIP712("Fairstake PlayerRegistry", "1") Ownable(owner_) {}

    // ------------------------------------------------------------------ games

    /// @inheritdoc IPlayerRegistry
    /// @dev Called by the Vault on every lock. A wallet bound to no person, with no limit, staking a
    /// token without a KYC rule costs two reads (its slot and the token's rule) and returns `clear`
    /// before the caller is even checked: nothing is recorded for it, so nothing needs guarding (a
    /// Vault this registry does not list keeps no clear answer: it asks `isVault`). `counted` is
    /// true exactly when a loss or wager window of the wallet or its person recorded the stake.
    function beforeStake(address player, address token, uint256 amount)
        external
        returns (bool counted, bool clear)
    {
        PlayerState storage stored = _players[player];
        uint256 word;
        // One SLOAD for the whole packed slot (field by field would read it once per field).
        // slither-disable-next-line assembly -- reads the PlayerState slot laid out above
        assembly ("memory-safe") {
            word := sload(stored.slot)
        }
        uint256 ruleLevel = _kycRules[token].level;
        // Nothing to record: no limited token (bits 128..143), no person (160..223), no KYC rule;
        // and never took a break (excludedUntil, timedOutUntil: bits 0..79), so none runs.
        // Clear: a listed Vault may keep this answer, as every change that could alter it first
        // calls `_tellVaults` (and a Vault keeps answers only while it is listed: it asks `isVault`).
        if ((word & (_UNLIMITED_MASK | type(uint80).max)) | ruleLevel == 0) {
            // (false, true), returned straight from scratch space: the hot path of every stake
            // slither-disable-next-line assembly -- returns the ABI encoding of (false, true)
            assembly ("memory-safe") {
                mstore(0, 0)
                mstore(0x20, 1)
                return(0, 0x40)
            }
        }
        if ((word & _UNLIMITED_MASK) | ruleLevel == 0) {
            _requireNoBreak(player, stored, 0, 0);
            return (false, false);
        }
        if (!isVault[msg.sender]) revert NotVault(msg.sender);
        PlayerState memory p = stored;
        KycRule memory rule = _kycRules[token];
        (address person, uint40 personExcludedUntil, uint40 personTimedOutUntil, uint16 personLimited,) = _person(p);
        _requireNoBreak(player, p, personExcludedUntil, personTimedOutUntil);
        if (rule.level != 0) _recordKycStake(player, person, token, amount, rule, p);
        if (p.limitedTokens != 0) counted = _recordStake(player, player, token, amount);
        if (personLimited != 0 && _recordStake(person, player, token, amount)) counted = true;
    }

    /// @inheritdoc IPlayerRegistry
    /// @dev Saturating arithmetic and no external calls: never reverts for the Vault's call. The
    /// Vault reports only stakes `beforeStake` counted, so the caller is checked first (one read);
    /// a wallet that since lost every limit and has no person (bits 128..223 clear) then returns
    /// after one more.
    function afterSettle(address player, address token, uint256, uint256 paidOut) external {
        if (!isVault[msg.sender]) revert NotVault(msg.sender);
        // slither-disable-next-line incorrect-equality -- a payout of zero, not a balance check
        if (paidOut == 0) return;
        PlayerState storage stored = _players[player];
        uint256 word;
        // slither-disable-next-line assembly -- reads the PlayerState slot laid out above
        assembly ("memory-safe") {
            word := sload(stored.slot)
        }
        // no limited token (bits 128..143) and no person (160..223): no window to credit
        if (word & _UNLIMITED_MASK == 0) return;
        PlayerState memory p = stored;
        (address person,,, uint16 personLimited,) = _person(p);
        if (p.limitedTokens != 0) _creditPayout(player, token, paidOut);
        if (personLimited != 0) _creditPayout(person, token, paidOut);
    }

    /// @dev Credits a payout to the loss windows of `account` (a wallet or a person) on `token`.
    function _creditPayout(address account, address token, uint256 paidOut) internal {
        LimitHeader memory h = _loadHeader(account, token);
        if (h.activeWindows == 0) return;
        int256 credit = paidOut > uint256(uint112(type(int112).max)) ? type(int112).max : int256(paidOut);
        Usage[WINDOWS] storage usage = _usage[account][token];
        for (uint256 w; w < WINDOWS; ++w) {
            if (h.activeWindows & (1 << w) == 0) continue;
            Usage memory u = _rolled(usage[w], w);
            int256 netLoss = int256(u.netLoss) - credit;
            u.netLoss = netLoss < type(int112).min ? type(int112).min : int112(netLoss);
            usage[w] = u;
        }
    }

    /// @inheritdoc IPlayerRegistry
    /// @dev A wallet with no deposit limit of its own and no person bound to it returns after one read
    /// of its slot, before the caller is even checked: nothing is recorded for it, so nothing needs
    /// guarding.
    function beforeDeposit(address player, address token, uint256 amount) external {
        PlayerState memory p = _players[player];
        (address person,,,, uint16 personDepositLimited) = _person(p);
        bool own = p.depositLimitedTokens != 0;
        bool persons = personDepositLimited != 0;
        if (!own && !persons) return;
        if (!isVault[msg.sender]) revert NotVault(msg.sender);
        if (own) _recordDeposit(player, player, token, amount);
        if (persons) _recordDeposit(person, player, token, amount);
    }

    /// @dev Adds a deposit of `player` to the deposit windows of `account` (the wallet or its person).
    function _recordDeposit(address account, address player, address token, uint256 amount) internal {
        LimitHeader memory h = _loadHeader(account, token);
        if (h.depositWindows == 0) return;
        DepositWindow[WINDOWS] storage windows = _deposits[account][token];
        for (uint256 w; w < WINDOWS; ++w) {
            if (h.depositWindows & (1 << w) == 0) continue;
            DepositWindow memory d = windows[w];
            uint32 epoch = uint32(block.timestamp / _windowLength(w));
            if (d.epoch != epoch) (d.epoch, d.deposited) = (epoch, 0);
            uint256 deposited = uint256(d.deposited) + amount;
            if (deposited > d.limit) revert DepositLimitExceeded(player, token, Window(w), d.limit, deposited);
            d.deposited = uint112(deposited); // <= limit < 2**96
            windows[w] = d;
        }
    }

    // ------------------------------------------------------------------ players

    /// @notice Exclude yourself from every Fairstake game and the bankroll for `duration` seconds,
    /// from now (once your wallet is bound to a KYC subject: every wallet of that person): at least
    /// `MIN_EXCLUSION` (6 months), at most `MAX_EXCLUSION` (5 years). Nobody can lift or shorten it,
    /// you included; a running exclusion can only be extended. Allowed during a time-out (both then
    /// run; the later end counts).
    /// @param duration seconds, MIN_EXCLUSION..MAX_EXCLUSION
    function selfExclude(uint256 duration) external {
        if (duration < MIN_EXCLUSION || duration > MAX_EXCLUSION) revert BadExclusionDuration(duration);
        _exclude(uint40(block.timestamp + duration));
    }

    /// @notice Exclude yourself from every Fairstake game and the bankroll for good, from now.
    /// Irreversible: nobody can ever lift it.
    function selfExcludePermanently() external {
        _exclude(PERMANENT);
    }

    /// @notice Take a time-out from every Fairstake game and the bankroll, from now: exactly 24 hours,
    /// 1 week, 1 month (30 days) or 6 weeks. Nobody can lift or shorten it, you included; a running
    /// time-out can only be extended (a shorter one is refused with `TimeOutCannotBeShortened`).
    /// A time-out is not a self-exclusion: it neither starts nor changes one.
    /// @param period one of `TimeOut.Day`, `Week`, `Month`, `SixWeeks`
    function takeTimeOut(TimeOut period) external {
        uint40 until = uint40(block.timestamp + timeOutLength(period));
        PlayerState storage p = _players[msg.sender];
        (address person, uint40 personExcludedUntil, uint40 personTimedOutUntil,,) = _person(p);
        (, uint40 current) = _breaks(p, personExcludedUntil, personTimedOutUntil);
        if (current > block.timestamp && until < current) revert TimeOutCannotBeShortened(current, until);
        p.timedOutUntil = until;
        if (person != address(0)) _players[person].timedOutUntil = until;
        _tellVaults();
        emit TimeOutTaken(msg.sender, period, until);
    }

    /// @notice Set your `kind` limit for `window` on `token` (ETH: address(0)); `NO_LIMIT` removes it.
    /// Loss and Wager limits cap stakes in every game; a Deposit limit caps the gross amount deposited
    /// into the Vault to your free balance. Adding or lowering applies at once; raising or removing
    /// applies after the 24 h cooling-off (`COOLING_OFF`). A reduction also cancels a pending raise
    /// of the same limit. A window's usage counts from the moment it got its first limit.
    /// Once your wallet is bound to a KYC subject the limit is set twice, by the same rules: on the
    /// wallet and on the person (`personOf`), whose limits cap the sum over all their wallets.
    /// @param value the new limit in `token`'s base units (<= NO_LIMIT)
    function setLimit(address token, LimitKind kind, Window window, uint256 value) external {
        if (value > NO_LIMIT) revert LimitTooHigh(value);
        // A loss or wager limit applied at once makes the registry record the wallet's stakes from
        // now on (a raise or removal waits out the cooling-off and only loosens).
        if (_setLimit(msg.sender, token, kind, window, uint96(value)) && kind != LimitKind.Deposit) _tellVaults();
        (address person,,,,) = _person(_players[msg.sender]);
        if (person != address(0)) _setLimit(person, token, kind, window, uint96(value));
    }

    /// @dev Sets a limit of `player` (a wallet or a person's account): at once when it tightens,
    /// after the cooling-off when it loosens.
    /// @return atOnce whether the limit applied at once (it tightens or keeps the limit)
    function _setLimit(address player, address token, LimitKind kind, Window window, uint96 newValue)
        internal
        returns (bool atOnce)
    {
        LimitHeader memory h = _loadHeader(player, token);
        uint256 w = uint256(window);
        uint16 bit = uint16(1 << (KINDS * w + uint256(kind)));

        if (newValue <= _currentLimit(player, token, h, kind, w)) {
            if (h.pendingMask & bit != 0) {
                h.pendingMask &= ~bit;
                delete _pending[player][token][w][uint256(kind)];
            }
            _applyLimit(player, token, h, kind, w, newValue);
            emit LimitSet(player, token, kind, window, newValue, uint40(block.timestamp));
            atOnce = true;
        } else {
            uint40 effectiveAt = uint40(block.timestamp + COOLING_OFF);
            _pending[player][token][w][uint256(kind)] = PendingLimit(newValue, effectiveAt);
            if (h.pendingMask == 0 || effectiveAt < h.nextPendingAt) h.nextPendingAt = effectiveAt;
            h.pendingMask |= bit;
            emit LimitSet(player, token, kind, window, newValue, effectiveAt);
        }
        _headers[player][token] = h;
    }

    /// @notice Apply `player`'s raises/removals on `token` whose cooling-off is over. Anyone may call.
    function applyPending(address player, address token) external {
        _loadHeader(player, token);
    }

    // ------------------------------------------------------------------ KYC

    /// @notice Submit an attestor's EIP-712 signed KYC attestation. Anyone may submit. The first
    /// accepted attestation of a wallet binds it to the attestation's `subject` (the person) for
    /// good; every later one must name the same subject (`SubjectMismatch`), so no attestor can move
    /// a wallet to a fresh subject to escape the person's exclusion. A revocation keeps the binding.
    /// @dev Nonces must increase per player, so neither replays nor stale (older) attestations apply.
    /// `issuedAt` must be later than the player's last revocation (so nothing signed before a
    /// revocation, a pre-signed renewal included, can undo it) and not in the future (so an
    /// attestation cannot be dated past a revocation yet to come).
    function attest(Attestation calldata a, bytes calldata signature) external {
        if (a.player == address(0)) revert ZeroAddress();
        if (a.subject == bytes32(0)) revert MissingSubject();
        if (a.expiry <= block.timestamp) revert AttestationExpired(a.expiry);
        if (a.issuedAt > block.timestamp) revert AttestationIssuedInFuture(a.issuedAt);
        KycRecord memory record = _kyc[a.player];
        if (a.issuedAt <= record.revokedAt) revert AttestationIssuedBeforeRevocation(a.issuedAt, record.revokedAt);
        if (a.nonce <= record.nonce) revert StaleNonce(a.nonce, record.nonce);
        bytes32 digest = _hashTypedDataV4(_attestationHash(a));
        // slither-disable-next-line unused-return -- the third value only details err, which is checked
        (address signer, ECDSA.RecoverError err,) = ECDSA.tryRecover(digest, signature);
        if (err == ECDSA.RecoverError.InvalidSignatureS) revert MalleableSignature();
        if (err != ECDSA.RecoverError.NoError) revert InvalidSignature();
        if (!isAttestor[signer]) revert UnknownAttestor(signer);

        PlayerState storage p = _players[a.player];
        if (p.subjectId == 0) _bind(a.player, p, a.subject);
        else if (_subjectOf[a.player] != a.subject) revert SubjectMismatch(a.player, _subjectOf[a.player], a.subject);
        p.kycLevel = a.level;
        p.kycExpiry = uint40(a.expiry);
        _kyc[a.player].nonce = a.nonce;
        _jurisdiction[a.player] = a.jurisdictionHash;
        emit Attested(a.player, signer, a.level, a.expiry, a.jurisdictionHash);
    }

    /// @notice A registered attestor or the owner withdraws `player`'s KYC level (e.g. a key leak or a
    /// failed re-check). Every attestation of the player issued at or before this block's time is
    /// void from now on, whatever its nonce (a renewal or duplicate signed earlier cannot restore the
    /// level); only an attestation issued afterwards (`issuedAt` > the revocation time) can.
    /// @dev Nonces alone cannot do this: the chain never learns which nonces an attestor already
    /// signed, so a floor at the last accepted nonce leaves higher pre-signed ones valid. Recording
    /// the revocation time and requiring a later, non-future `issuedAt` voids them all; the price is
    /// that a new attestation must be dated at least one second after the revocation.
    function revokeAttestation(address player) external {
        if (!isAttestor[msg.sender] && msg.sender != owner()) revert NotAttestor(msg.sender);
        PlayerState storage p = _players[player];
        p.kycLevel = 0;
        p.kycExpiry = 0;
        _kyc[player].revokedAt = uint40(block.timestamp);
        delete _jurisdiction[player];
        emit AttestationRevoked(player, msg.sender);
    }

    // ------------------------------------------------------------------ governance

    /// @notice Owner: register or deregister a Vault allowed to report stakes (`beforeStake`, on every
    /// lock), their payouts (`afterSettle`) and player deposits (`beforeDeposit`). Deregistering the
    /// Vault cannot loosen anything: the stakes and deposits the registry would record (a player with
    /// a limit, a person or a KYC rule on the token) are then refused (`NotVault`), never let
    /// through, breaks still refuse, and the payouts of stakes it counted are no longer credited
    /// (the Vault ignores the refusal), so those stakes stay counted as lost.
    /// A registered Vault may keep the registry's `clear` answers (see `beforeStake`) and is told
    /// of every change that could alter one; at most `MAX_VAULTS` are registered. Either change is
    /// told to the Vault after `isVault` changed: a deregistered Vault forgets every clear answer
    /// and keeps none afterwards, a registered one keeps them from then on.
    function setVault(address vault, bool registered) external onlyOwner {
        if (vault == address(0)) revert ZeroAddress();
        if (isVault[vault] != registered) {
            isVault[vault] = registered;
            _tellVault(vault);
            if (registered) {
                if (_vaults.length == MAX_VAULTS) revert TooManyVaults(MAX_VAULTS);
                _vaults.push(vault);
            } else {
                uint256 last = _vaults.length - 1;
                for (uint256 i; i < last; ++i) {
                    if (_vaults[i] == vault) {
                        _vaults[i] = _vaults[last];
                        break;
                    }
                }
                _vaults.pop();
            }
        }
        emit VaultSet(vault, registered);
    }

    /// @notice Owner: register or deregister a KYC attestor key.
    function setAttestor(address attestor, bool registered) external onlyOwner {
        if (attestor == address(0)) revert ZeroAddress();
        isAttestor[attestor] = registered;
        emit AttestorSet(attestor, registered);
    }

    /// @notice Owner: once a player's stakes of `token` in the current KYC window (see `KYC_WINDOW`),
    /// the new one included, reach `threshold`, a valid KYC level >= `level` is required (0 disables).
    /// Only stakes made while the token has a rule are counted; changing the rule keeps the count.
    function setKycRule(address token, uint128 threshold, uint8 level) external onlyOwner {
        _tellVaults();
        _kycRules[token] = KycRule({level: level, threshold: threshold});
        emit KycRuleSet(token, threshold, level);
    }

    // ------------------------------------------------------------------ views

    /// @notice The registered Vaults (each told of every tightening), in no particular order.
    function vaults() external view returns (address[] memory) {
        return _vaults;
    }

    /// @inheritdoc IPlayerRegistry
    function isExcluded(address player) external view returns (bool) {
        (uint40 excludedUntil,) = _breaksOf(player);
        return excludedUntil > block.timestamp;
    }

    /// @inheritdoc IPlayerRegistry
    function isTimedOut(address player) external view returns (bool) {
        (, uint40 timedOutUntil) = _breaksOf(player);
        return timedOutUntil > block.timestamp;
    }

    /// @inheritdoc IPlayerRegistry
    function requireNotExcluded(address player) external view {
        PlayerState memory p = _players[player];
        (, uint40 personExcludedUntil, uint40 personTimedOutUntil,,) = _person(p);
        _requireNoBreak(player, p, personExcludedUntil, personTimedOutUntil);
    }

    /// @notice When the self-exclusion binding `player` ends (0: never excluded; PERMANENT: never
    /// ends): the wallet's own or, once it is bound to a KYC subject, the person's, whichever is later.
    /// A past time means it has ended.
    function exclusionEnd(address player) external view returns (uint40 until) {
        (until,) = _breaksOf(player);
    }

    /// @notice When the last time-out binding `player` ends (0: never took one), the wallet's own or
    /// its person's, whichever is later. A past time means it has ended.
    function timeOutEnd(address player) external view returns (uint40 until) {
        (, until) = _breaksOf(player);
    }

    /// @notice The KYC subject (person) `player`'s wallet is bound to (0: none yet).
    function subjectOf(address player) external view returns (bytes32) {
        return _subjectOf[player];
    }

    /// @notice The breaks of the person `subject`, binding every wallet attested to them (0: none).
    function subjectBreaks(bytes32 subject) external view returns (uint40 excludedUntil, uint40 timedOutUntil) {
        uint64 id = _subjectIds[subject];
        if (id == 0) return (0, 0);
        PlayerState memory q = _players[personKey(id)];
        return (q.excludedUntil, q.timedOutUntil);
    }

    /// @notice The account of the person `player`'s wallet is bound to (address(0): none). Pass it as
    /// `player` to `limitOf`, `usageOf`, `depositedOf` and `applyPending` for the person's limits,
    /// which cap the sum over all their wallets. Nobody holds its key; only the registry writes it.
    function personOf(address player) external view returns (address person) {
        (person,,,,) = _person(_players[player]);
    }

    /// @notice The registry account of the person with compact subject id `id` (see `personOf`).
    function personKey(uint64 id) public pure returns (address) {
        return address(uint160(uint256(keccak256(abi.encode("Fairstake person", id)))));
    }

    /// @notice The length in seconds of a time-out `period`: 1, 7, 30 or 42 days.
    function timeOutLength(TimeOut period) public pure returns (uint256) {
        if (period == TimeOut.Day) return 1 days;
        if (period == TimeOut.Week) return 7 days;
        if (period == TimeOut.Month) return 30 days;
        return 42 days;
    }

    /// @inheritdoc IPlayerRegistry
    function kycLevel(address player) external view returns (uint8) {
        PlayerState memory p = _players[player];
        return p.kycExpiry > block.timestamp ? p.kycLevel : 0;
    }

    /// @notice The last accepted attestation of `player` (the level as attested, even if expired).
    function kycInfo(address player)
        external
        view
        returns (uint8 level, uint40 expiry, bytes32 jurisdictionHash, uint64 nonce)
    {
        PlayerState memory p = _players[player];
        return (p.kycLevel, p.kycExpiry, _jurisdiction[player], _kyc[player].nonce);
    }

    /// @notice The KYC rule for stakes of `token`.
    function kycRule(address token) external view returns (uint128 threshold, uint8 level) {
        KycRule memory rule = _kycRules[token];
        return (rule.threshold, rule.level);
    }

    /// @notice The stakes of `token` in the current KYC window that `player`'s next stake adds to before
    /// it meets the token's KYC threshold, and the window's bounds (stakes are counted only while the
    /// token has a KYC rule). For a wallet bound to a KYC subject that is the person's count (every
    /// wallet of theirs) plus what the wallet staked before its binding and has not staked since;
    /// for a person's account (`personOf`), the person's count.
    function kycStakedOf(address player, address token)
        external
        view
        returns (uint256 staked, uint256 windowStart, uint256 windowEnd)
    {
        uint256 length = _windowLength(uint256(KYC_WINDOW));
        uint256 epoch = block.timestamp / length;
        // slither-disable-next-line divide-before-multiply -- rounding down to the window's epoch start is the point
        windowStart = epoch * length;
        windowEnd = windowStart + length;
        staked = _kycStakedIn(player, token, epoch);
        (address person,,,,) = _person(_players[player]);
        if (person != address(0)) staked += _kycStakedIn(person, token, epoch);
    }

    function _kycStakedIn(address account, address token, uint256 epoch) internal view returns (uint256) {
        Usage memory u = _kycUsage[account][token];
        // slither-disable-next-line incorrect-equality -- compares epoch numbers, not balances
        return u.epoch == epoch ? u.wagered : 0;
    }

    /// @notice A limit as it stands now (a due pending change counts as applied) and any change still
    /// cooling off (`pendingAt` 0: none).
    function limitOf(address player, address token, LimitKind kind, Window window)
        external
        view
        returns (uint96 current, uint96 pendingValue, uint40 pendingAt)
    {
        uint256 w = uint256(window);
        LimitHeader memory h = _headers[player][token];
        current = _currentLimit(player, token, h, kind, w);
        if (h.pendingMask & (1 << (KINDS * w + uint256(kind))) != 0) {
            PendingLimit memory pl = _pending[player][token][w][uint256(kind)];
            if (pl.effectiveAt <= block.timestamp) current = pl.value;
            else (pendingValue, pendingAt) = (pl.value, pl.effectiveAt);
        }
    }

    /// @notice `player`'s recorded usage of `token` in the current `window` and the window's bounds.
    function usageOf(address player, address token, Window window)
        external
        view
        returns (uint256 wagered, int256 netLoss, uint256 windowStart, uint256 windowEnd)
    {
        uint256 w = uint256(window);
        uint256 length = _windowLength(w);
        // slither-disable-next-line divide-before-multiply -- rounding down to the window's epoch start is the point
        windowStart = (block.timestamp / length) * length;
        windowEnd = windowStart + length;
        Usage memory u = _usage[player][token][w];
        // slither-disable-next-line incorrect-equality -- compares epoch numbers, not balances
        if (u.epoch == block.timestamp / length) (wagered, netLoss) = (u.wagered, u.netLoss);
    }

    /// @notice `player`'s gross deposits of `token` counted against their deposit limit in the current
    /// `window`, and the window's bounds (counted only while the window has a deposit limit).
    function depositedOf(address player, address token, Window window)
        external
        view
        returns (uint256 deposited, uint256 windowStart, uint256 windowEnd)
    {
        uint256 w = uint256(window);
        uint256 length = _windowLength(w);
        // slither-disable-next-line divide-before-multiply -- rounding down to the window's epoch start is the point
        windowStart = (block.timestamp / length) * length;
        windowEnd = windowStart + length;
        DepositWindow memory d = _deposits[player][token][w];
        // slither-disable-next-line incorrect-equality -- compares epoch numbers, not balances
        if (_headers[player][token].depositWindows & (1 << w) != 0 && d.epoch == block.timestamp / length) {
            deposited = d.deposited;
        }
    }

    /// @notice When `player`'s KYC was last revoked (0: never); attestations issued at or before it are void.
    function kycRevokedAt(address player) external view returns (uint40) {
        return _kyc[player].revokedAt;
    }

    /// @notice The EIP-712 digest an attestor signs for `a` (for off-chain tooling and tests).
    function attestationDigest(Attestation calldata a) external view returns (bytes32) {
        return _hashTypedDataV4(_attestationHash(a));
    }

    // ------------------------------------------------------------------ internals

    function _attestationHash(Attestation calldata a) internal pure returns (bytes32) {
        return keccak256(
            abi.encode(
                ATTESTATION_TYPEHASH, a.player, a.level, a.expiry, a.jurisdictionHash, a.nonce, a.issuedAt, a.subject
            )
        );
    }

    /// @dev Tells every registered Vault to forget the clear answers it kept, before a change that
    /// could make one wrong takes effect (the caller's transaction reverts as a whole otherwise).
    function _tellVaults() internal {
        uint256 count = _vaults.length;
        for (uint256 i; i < count; ++i) {
            _tellVault(_vaults[i]);
        }
    }

    /// @dev With enough gas left that the 63/64 rule still leaves the Vault its full
    /// `VAULT_NOTICE_GAS`, a registered Vault wired to this registry cannot fail to forget, so a
    /// failure can only come from an address that is not such a Vault, which kept no clear answer
    /// of ours; ignoring it means no such address can block a player's break or limit.
    function _tellVault(address vault) internal {
        uint256 needed = VAULT_NOTICE_GAS + VAULT_NOTICE_GAS / 63 + 5_000;
        if (gasleft() < needed) revert NotEnoughGasForVaults(gasleft(), needed);
        bytes4 selector = IPlayerRegistryVault.registryChanged.selector;
        // No return data is copied, so no address can make the caller pay for a large one.
        // slither-disable-next-line assembly -- a bounded call whose result is ignored by design (above)
        assembly ("memory-safe") {
            mstore(0, selector)
            pop(call(VAULT_NOTICE_GAS, vault, 0, 0, 4, 0, 0))
        }
    }

    function _exclude(uint40 until) internal {
        PlayerState storage p = _players[msg.sender];
        (address person, uint40 personExcludedUntil, uint40 personTimedOutUntil,,) = _person(p);
        (uint40 current,) = _breaks(p, personExcludedUntil, personTimedOutUntil);
        if (current > block.timestamp && until < current) revert ExclusionCannotBeShortened(current, until);
        p.excludedUntil = until;
        if (person != address(0)) _players[person].excludedUntil = until;
        _tellVaults();
        emit SelfExclusionSet(msg.sender, until);
    }

    /// @dev Binds `player`'s wallet to `subject` for good. The person's breaks and limits then bind the
    /// wallet, and the wallet's own breaks (a later end) extend the person's. The wallet's own limits
    /// keep applying as well, so binding never loosens anything.
    function _bind(address player, PlayerState storage p, bytes32 subject) internal {
        uint64 id = _subjectIds[subject];
        if (id == 0) {
            id = ++_subjectCount;
            _subjectIds[subject] = id;
        }
        p.subjectId = id;
        _subjectOf[player] = subject;
        address person = personKey(id);
        PlayerState storage q = _players[person];
        if (p.excludedUntil > q.excludedUntil) q.excludedUntil = p.excludedUntil;
        if (p.timedOutUntil > q.timedOutUntil) q.timedOutUntil = p.timedOutUntil;
        _tellVaults();
        emit SubjectBound(player, subject, person);
    }

    /// @dev The account of the person a wallet is bound to and what a check needs of their state, on
    /// the stack (all zero when unbound: an unbound wallet costs no read beyond its own slot).
    function _person(PlayerState memory p)
        internal
        view
        returns (
            address person,
            uint40 excludedUntil,
            uint40 timedOutUntil,
            uint16 limitedTokens,
            uint16 depositLimitedTokens
        )
    {
        if (p.subjectId != 0) {
            person = personKey(p.subjectId);
            PlayerState storage q = _players[person];
            (excludedUntil, timedOutUntil) = (q.excludedUntil, q.timedOutUntil);
            (limitedTokens, depositLimitedTokens) = (q.limitedTokens, q.depositLimitedTokens);
        }
    }

    /// @dev The self-exclusion and time-out ends binding a wallet: its own, or its person's when later.
    function _breaks(PlayerState memory p, uint40 personExcludedUntil, uint40 personTimedOutUntil)
        internal
        pure
        returns (uint40 excludedUntil, uint40 timedOutUntil)
    {
        excludedUntil = personExcludedUntil > p.excludedUntil ? personExcludedUntil : p.excludedUntil;
        timedOutUntil = personTimedOutUntil > p.timedOutUntil ? personTimedOutUntil : p.timedOutUntil;
    }

    function _breaksOf(address player) internal view returns (uint40 excludedUntil, uint40 timedOutUntil) {
        PlayerState memory p = _players[player];
        (, uint40 personExcludedUntil, uint40 personTimedOutUntil,,) = _person(p);
        return _breaks(p, personExcludedUntil, personTimedOutUntil);
    }

    /// @dev Reverts while `player` is self-excluded (checked first: it is the stronger break) or timed
    /// out, by their own choice or, once bound to a KYC subject, by the person's through any wallet.
    function _requireNoBreak(
        address player,
        PlayerState memory p,
        uint40 personExcludedUntil,
        uint40 personTimedOutUntil
    ) internal view {
        (uint40 excludedUntil, uint40 timedOutUntil) = _breaks(p, personExcludedUntil, personTimedOutUntil);
        if (excludedUntil > block.timestamp) revert SelfExcluded(player, excludedUntil);
        if (timedOutUntil > block.timestamp) revert TimedOut(player, timedOutUntil);
    }

    /// @dev Adds `amount` to the stakes of `token` in the current KYC window counted for `player`: the
    /// person's count once the wallet is bound to one (`person`), else the wallet's own; once that
    /// sum reaches the rule's threshold, the wallet needs a valid KYC level of at least the rule's.
    /// A bound wallet's own count holds only what it staked before its binding (in this window): its
    /// first stake after the binding moves it into the person's count, so binding never lowers the
    /// sum a wallet is measured by.
    function _recordKycStake(
        address player,
        address person,
        address token,
        uint256 amount,
        KycRule memory rule,
        PlayerState memory p
    ) internal {
        address account = player;
        uint256 staked = amount;
        if (person != address(0)) {
            account = person;
            Usage memory own = _rolled(_kycUsage[player][token], uint256(KYC_WINDOW));
            if (own.wagered != 0) {
                staked += own.wagered;
                delete _kycUsage[player][token];
            }
        }
        Usage memory u = _rolled(_kycUsage[account][token], uint256(KYC_WINDOW));
        staked += u.wagered;
        if (staked >= rule.threshold) {
            uint8 valid = p.kycExpiry > block.timestamp ? p.kycLevel : 0;
            if (valid < rule.level) revert KycRequired(player, token, staked, rule.threshold, rule.level, valid);
        }
        // Saturates far above any token supply rather than block a stake.
        u.wagered = staked > type(uint112).max ? type(uint112).max : uint112(staked);
        _kycUsage[account][token] = u;
    }

    /// @dev Adds a stake of `player` to the windows of `account` (the wallet or its person), refusing it
    /// over a limit (the error names the wallet that staked); whether any window recorded it.
    function _recordStake(address account, address player, address token, uint256 amount)
        internal
        returns (bool recorded)
    {
        LimitHeader memory h = _loadHeader(account, token);
        if (h.activeWindows == 0) return false;
        Usage[WINDOWS] storage usage = _usage[account][token];
        WindowLimits[WINDOWS] storage limits = _limits[account][token];
        for (uint256 w; w < WINDOWS; ++w) {
            if (h.activeWindows & (1 << w) == 0) continue;
            WindowLimits memory l = limits[w];
            Usage memory u = _rolled(usage[w], w);
            uint256 wagered = uint256(u.wagered) + amount;
            if (l.wager != NO_LIMIT && wagered > l.wager) {
                revert WagerLimitExceeded(player, token, Window(w), l.wager, wagered);
            }
            int256 netLoss = int256(u.netLoss) + amount.toInt256();
            if (l.loss != NO_LIMIT && netLoss > int256(uint256(l.loss))) {
                revert LossLimitExceeded(player, token, Window(w), l.loss, netLoss);
            }
            u.wagered = wagered.toUint112();
            u.netLoss = SafeCast.toInt112(netLoss);
            usage[w] = u;
        }
        return true;
    }

    /// @dev The header with every due pending change applied (and written back when any was).
    function _loadHeader(address player, address token) internal returns (LimitHeader memory h) {
        h = _headers[player][token];
        if (h.pendingMask == 0 || h.nextPendingAt > block.timestamp) return h;
        uint40 next = type(uint40).max;
        for (uint256 w; w < WINDOWS; ++w) {
            if (h.pendingMask & (7 << (KINDS * w)) == 0) continue;
            for (uint256 kind; kind < KINDS; ++kind) {
                uint16 bit = uint16(1 << (KINDS * w + kind));
                if (h.pendingMask & bit == 0) continue;
                PendingLimit memory pl = _pending[player][token][w][kind];
                if (pl.effectiveAt > block.timestamp) {
                    if (pl.effectiveAt < next) next = pl.effectiveAt;
                    continue;
                }
                h.pendingMask &= ~bit;
                delete _pending[player][token][w][kind];
                _applyLimit(player, token, h, LimitKind(kind), w, pl.value);
                emit PendingLimitApplied(player, token, LimitKind(kind), Window(w), pl.value);
            }
        }
        h.nextPendingAt = h.pendingMask == 0 ? 0 : next;
        _headers[player][token] = h;
    }

    /// @dev `player`'s `kind` limit of window `w` on `token` as stored (NO_LIMIT when the window has none).
    function _currentLimit(address player, address token, LimitHeader memory h, LimitKind kind, uint256 w)
        internal
        view
        returns (uint96)
    {
        if (kind == LimitKind.Deposit) return _depositLimit(player, token, h, w);
        WindowLimits memory l = _windowLimits(player, token, h, w);
        return kind == LimitKind.Loss ? l.loss : l.wager;
    }

    /// @dev Stores `value` as `player`'s `kind` limit of window `w` on `token` and keeps the header's
    /// window bits (in memory: the caller writes `h` back) and the player's counters in step.
    function _applyLimit(address player, address token, LimitHeader memory h, LimitKind kind, uint256 w, uint96 value)
        internal
    {
        if (kind == LimitKind.Deposit) {
            _setDepositLimit(player, token, h, w, value);
            return;
        }
        WindowLimits memory l = _windowLimits(player, token, h, w);
        if (kind == LimitKind.Loss) l.loss = value;
        else l.wager = value;
        _limits[player][token][w] = l;
        _setWindowActive(player, token, h, w, l);
    }

    /// @dev Sets a deposit limit; a window that gets its first one starts counting afresh, and the
    /// player's count of deposit-limited tokens follows the token's deposit windows.
    function _setDepositLimit(address player, address token, LimitHeader memory h, uint256 w, uint96 value)
        internal
    {
        DepositWindow storage d = _deposits[player][token][w];
        uint8 bit = uint8(1 << w);
        bool wasActive = h.depositWindows & bit != 0;
        bool active = value != NO_LIMIT;
        if (active && !wasActive) {
            _deposits[player][token][w] = DepositWindow(value, uint32(block.timestamp / _windowLength(w)), 0);
        } else {
            d.limit = value;
        }
        if (active == wasActive) return;
        int256 change;
        (h.depositWindows, change) = _flipWindow(h.depositWindows, bit, active);
        if (change > 0) ++_players[player].depositLimitedTokens;
        else if (change < 0) --_players[player].depositLimitedTokens;
    }

    function _depositLimit(address player, address token, LimitHeader memory h, uint256 w)
        internal
        view
        returns (uint96)
    {
        if (h.depositWindows & (1 << w) == 0) return NO_LIMIT;
        return _deposits[player][token][w].limit;
    }

    /// @dev Keeps `activeWindows` and the player's limited-token count in step with `l`; a window
    /// that becomes active starts its usage afresh.
    function _setWindowActive(address player, address token, LimitHeader memory h, uint256 w, WindowLimits memory l)
        internal
    {
        bool active = l.loss != NO_LIMIT || l.wager != NO_LIMIT;
        uint8 bit = uint8(1 << w);
        bool wasActive = h.activeWindows & bit != 0;
        if (active == wasActive) return;
        if (active) _usage[player][token][w] = Usage(uint32(block.timestamp / _windowLength(w)), 0, 0);
        int256 change;
        (h.activeWindows, change) = _flipWindow(h.activeWindows, bit, active);
        if (change > 0) ++_players[player].limitedTokens;
        else if (change < 0) --_players[player].limitedTokens;
    }

    /// @dev `windows` with `bit` set (`active`) or cleared, and whether the token thereby gained
    /// its first window of the kind (+1), lost its last (-1) or neither (0).
    function _flipWindow(uint8 windows, uint8 bit, bool active) private pure returns (uint8 updated, int256 change) {
        updated = active ? windows | bit : windows & ~bit;
        if (windows == 0 && updated != 0) change = 1;
        else if (windows != 0 && updated == 0) change = -1;
    }

    function _windowLimits(address player, address token, LimitHeader memory h, uint256 w)
        internal
        view
        returns (WindowLimits memory)
    {
        if (h.activeWindows & (1 << w) == 0) return WindowLimits(NO_LIMIT, NO_LIMIT);
        return _limits[player][token][w];
    }

    function _rolled(Usage storage stored, uint256 w) internal view returns (Usage memory u) {
        u = stored;
        uint32 epoch = uint32(block.timestamp / _windowLength(w));
        if (u.epoch != epoch) u = Usage(epoch, 0, 0);
    }

    function _windowLength(uint256 w) internal pure returns (uint256) {
        return w == 0 ? 1 days : w == 1 ? 7 days : 30 days;
    }
}
