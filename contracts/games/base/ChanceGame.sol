// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IRandomnessCoordinator} from "../../interfaces/IRandomnessCoordinator.sol";
import {IVault} from "../../interfaces/IVault.sol";
import {IChanceGameErrors} from "../../interfaces/IGameErrors.sol";
import {LOCK_DURATION_CAP} from "../../interfaces/Shared.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {RandomnessGame} from "./RandomnessGame.sol";

/// @title ChanceGame
/// @notice The engine of every game of chance against the Vault's bankroll (Dice, CoinToss,
/// Roulette, Keno, Wheel, Plinko). A game supplies its rules through four hooks (`_rollTerms`,
/// `_prepareRolls`, `_rollPayout`, `_maxEdgeBps`), and may override a fifth (`_onlyRollPayout`,
/// the one-roll bet's payout without the preparation); the engine owns everything else: per-token
/// configuration, the deposit, the Vault lock, the randomness request with its bond reservation,
/// settlement, multi-roll with stop-gain and stop-loss, timeout unwinding, the events and the
/// views. docs/adding-a-game.md walks a game through the API. (The player registry hears of a
/// counted stake's payout from the Vault, never from the game.)
///
/// A bet is `rolls` (1..MAX_ROLLS) rolls of one `choice` (the game's ABI-encoded bet) at `stake`
/// per roll, one Vault bankroll lock of stake * rolls whose maxPayout is rolls times the most one
/// roll pays, and one randomness request named by the lock's id; the bet's id is the request id,
/// keccak256(abi.encode(game, lockId)). Everything the outcome depends on (stake, choice, rolls,
/// stops, the edge in force) is fixed when the bet is placed, and the game keeps none of it for
/// a common bet: the stakes and maxPayout are the request's bond reservation and the rest its
/// data word (docs/bet-in-commitment.md), both committed by the coordinator and handed back with
/// the word, and the Vault checks the stakes against its lock's hash.
/// Roll i uses the request's word itself when rolls == 1, else uint256(keccak256(abi.encode(word, i))).
/// Rolls play in order; after each roll the bet stops when stopGain != 0 and paid - staked >=
/// stopGain, or stopLoss != 0 and staked - paid >= stopLoss; the unplayed rolls' stakes come back
/// with the payout in one Vault settle.
///
/// The house edge declared to the Vault (on which the protocol fee is taken at lock, whatever the
/// outcome) never exceeds the house's expected gain on the rolls actually played: it is the edge of
/// one roll times the rolls the bet plays for certain (all of them without a stop; with stops, the
/// fewest rolls after which a stop can trigger: a roll loses at most its stake and wins at most its
/// maximum payout less its stake, so stopLoss needs ceil(stopLoss / stake) rolls and stopGain
/// ceil(stopGain / (maxPayout - stake)), and at least one roll is always played). Whether a bet
/// stops depends only on rolls already played, so by Wald's identity the house expects one roll's
/// edge per roll played, at least the declared edge: the LPs' expected result stays >= 0.
///
/// Withheld results, and why the oracle's bond pays them: only the oracle key's holder can produce
/// the randomness, and it can compute the result before publishing it. If a bet whose result was
/// withheld cost the key nothing, its holder could bet and drop every losing result ("selective
/// abort", as against Dice2Win); if it were paid from the bankroll, the holder could bet and drop
/// every losing result to be paid a win. So each bet reserves its maximum payout W (all rolls) from
/// the key's bond at the coordinator, and a bet whose request expires unfulfilled unwinds as:
///   - its Vault lock is refunded (by this game on expiry, or by the Vault's deadline backstop:
///     the same refund, so there is nothing to race), and
///   - the bond pays W - stakes to the player and the stakes to the bankroll as a house win (the
///     bet's protocol fee was taken when it was locked and stays taken).
/// The player ends with W (its best outcome), the LPs and the protocol exactly as if the house had
/// won every roll, and the key's holder pays W: whatever bets, bankroll shares, fee rights or
/// balances it also holds, withholding never ends above publishing (docs/randomness-economics.md).
///
/// The Vault lock's deadline (at least `MIN_LOCK_DURATION` ahead) lies beyond the coordinator's
/// latest fulfilment (`maxFulfilDelay`), so the Vault's refund backstop only runs on a bet whose
/// request already expired or whose callback failed.
abstract contract ChanceGame is IChanceGameErrors, RandomnessGame {
    using SafeCast for uint256;

    // ------------------------------------------------------------------ hard caps
    /// @notice Most rolls one bet may play.
    uint16 public constant MAX_ROLLS = 100;
    /// @notice Shortest Vault lock: beyond any randomness deadline (the coordinator's
    /// maxFulfilDelay is at most 12 hours).
    uint32 public constant MIN_LOCK_DURATION = 1 days;
    /// @notice Longest Vault lock (the Vault's own cap).
    uint32 public constant MAX_LOCK_DURATION = uint32(LOCK_DURATION_CAP);

    // ------------------------------------------------------------------ storage
    /// @dev One slot, the only one of the game's configuration a placing call reads (the oracle
    /// key is the coordinator's, read there with the caller's consumer slot). Stakes are per
    /// roll; uint88 holds every stake a bet can have (its maxPayout, above the stake, is below
    /// 2^88). `lockDuration` and `callbackGasLimit` are copies of the game-wide
    /// values (which the views and governance read), rewritten in every configured token's slot
    /// whenever governance sets them, so a bet reads them with its token's terms.
    struct TokenConfig {
        uint16 edgeBps;
        bool enabled;
        uint88 minStake;
        uint88 maxStake;
        uint24 lockDuration; // <= MAX_LOCK_DURATION < 2^22
        uint32 callbackGasLimit;
    }

    /// @notice Where the bet on a Vault lock stands ({betStatusOf}), for a lock of this game's
    /// bets: Closed (the lock is not open: the bet was settled or unwound; the result is in its
    /// BetSettled or BetTimedOut event), AwaitingWord (its request is pending at the coordinator:
    /// it is fulfilled or, after its deadline, expired) or AwaitingRefund (its lock is open but its
    /// request is gone, because its callback failed: {settleTimedOut} refunds the stakes). The
    /// Vault keeps only a hash of a lock's terms, so the view cannot tell whose lock it is: an open
    /// lock of another game also reads AwaitingRefund, and {settleTimedOut} refuses it.
    enum BetStatus {
        Closed,
        AwaitingWord,
        AwaitingRefund
    }

    /// @dev A bet's data word, committed in its randomness request and handed back with the word
    /// (the game keeps no slot for a bet without stops whose choice packs): lockId at bits 0..55,
    /// rolls at 56..63, edgeBps at 64..79, hasStops at bit 88 (its stops then sit in `_stops`)
    /// and `tail` at 96..255: the choice packed (`PACKED` set; `TWO_WORDS` set for a choice of two
    /// ABI words; each word below 2^79 at bits 0 and 79), or 0 when the choice does not pack and
    /// sits in `_choices`. Player, token, stakes and maxPayout are the request's bond reservation
    /// (beneficiary, bondToken, bondAmount - beneficiaryAmount, bondAmount).
    struct Bet {
        uint56 lockId;
        uint8 rolls;
        uint16 edgeBps;
        bool hasStops;
        uint160 tail;
    }

    /// @dev Written only for a bet with a stop; deleted when it resolves.
    struct Stops {
        uint128 stopGain;
        uint128 stopLoss;
    }

    uint160 private constant PACKED = uint160(1) << 159;
    uint160 private constant TWO_WORDS = uint160(1) << 158;
    uint256 private constant WORD_BITS = 79;

    /// @notice Vault lock duration of new bets, in seconds.
    uint32 public lockDuration;

    mapping(address token => TokenConfig) private _tokens;
    /// @dev Every token ever configured, once each: the slots {_setLockDuration} and
    /// {_callbackGasSet} refresh.
    address[] private _configuredTokens;
    mapping(uint256 betId => Stops) internal _stops;
    mapping(uint256 betId => bytes) private _choices;

    // ------------------------------------------------------------------ events
    /// @notice A bet was placed; its terms are the placing transaction's other logs, joined by the
    /// bet id (which is also its randomness request id, keccak256(abi.encode(game, lockId))):
    /// - its RandomnessRequested (requestId = betId): the data word (layout at {Bet}) with the lock
    ///   id, the rolls, the edge and, when it packs, the choice;
    /// - that lock's Vault `Locked`: the player, the token, the stakes (rolls x stake) and the
    ///   maximum payout (rolls x one roll's maximum, also the bond reservation);
    /// - its {BetTerms}, only for a bet with stops or a choice that does not pack.
    /// The house edge declared to the Vault is the game's rule applied to these terms; the lock's
    /// protocol fee is the fee share of it.
    event BetPlaced(uint256 indexed betId);
    /// @notice What a bet's data word cannot carry: emitted just before its {BetPlaced}, only for a
    /// bet with a stop or a choice that does not pack (a bet that keeps a slot for them anyway).
    /// @param choice the game's ABI-encoded bet
    event BetTerms(uint256 indexed betId, bytes choice, uint256 stopGain, uint256 stopLoss);
    /// @param payout everything the player was credited: the played rolls' payouts plus the
    /// unplayed rolls' stakes
    event BetSettled(uint256 indexed betId, uint256 word, uint16 rollsPlayed, uint256 payout);
    /// @notice Unwound without a result: the stakes refunded. `payout` is what the player ends with
    /// when the request expired (the stakes plus the bond's W - stakes, i.e. the maximum payout),
    /// or the stakes alone when the result was delivered but the settlement failed.
    event BetTimedOut(uint256 indexed betId, uint256 payout);
    event TokenConfigured(address indexed token, bool enabled, uint256 minStake, uint256 maxStake, uint16 edgeBps);
    event LockDurationSet(uint32 lockDuration);

    /// @param wiring the owner (governance: a TimelockController in deployment) and what the game is wired to
    /// @param lockDuration_ Vault lock duration of bets, MIN_LOCK_DURATION..MAX_LOCK_DURATION
    constructor(GameWiring memory wiring, uint32 lockDuration_) RandomnessGame(wiring) {
        _setLockDuration(lockDuration_);
    }

    // ------------------------------------------------------------------ the game's hooks

    /// @dev Check `choice` (revert with the game's custom error on bad input) and return the terms
    /// of ONE roll of `stake` at `edgeBps`: the most any outcome of the roll pays (> stake for a
    /// valid bet) and the roll's house edge = stake - expected payout, the expected payout rounded
    /// UP (so the edge is never overstated; the Vault caps it at 10% of the stake).
    function _rollTerms(uint256 stake, bytes memory choice, uint16 edgeBps)
        internal
        view
        virtual
        returns (uint256 maxPayout, uint256 houseEdge);

    /// @dev Everything a bet's rolls share, worked out once per bet before its first roll: the
    /// choice decoded (reverting as `_rollTerms` would on a choice that cannot be decoded; a
    /// choice that decodes need not be checked against the game's limits again, `_rollTerms`
    /// checked it at placing), the storage the rolls read (tables, configurations) and what a roll
    /// pays on each outcome, laid out in `prepared` however the game's `_rollPayout` reads it. A
    /// pure function of (stake, choice, edgeBps) given the game's immutable configuration.
    function _prepareRolls(uint256 stake, bytes memory choice, uint16 edgeBps)
        internal
        view
        virtual
        returns (uint256[] memory prepared);

    /// @dev The payout of ONE roll for one random word, given what `_prepareRolls` prepared for
    /// the bet: a pure function of (stake, choice, edgeBps, word) given the game's immutable
    /// configuration, never above `_rollTerms`' maxPayout. It runs once per roll, so it should do
    /// only the word's outcome: no decoding, and no memory allocation (the engine discards
    /// whatever a roll allocates, see {_play}).
    function _rollPayout(uint256[] memory prepared, uint256 word) internal view virtual returns (uint256 payout);

    /// @dev The payout of a bet's only roll (a one-roll bet, {outcomeOf}): the same pure function
    /// as `_rollPayout` on `_prepareRolls`, which is what it does unless a game overrides it. A
    /// game whose preparation works out more than one roll reads (every outcome's payout, a
    /// buffer) overrides it to work out only the word's outcome, so the common one-roll bet never
    /// pays for the rolls it does not play.
    function _onlyRollPayout(uint256 stake, bytes memory choice, uint16 edgeBps, uint256 word)
        internal
        view
        virtual
        returns (uint256 payout)
    {
        return _rollPayout(_prepareRolls(stake, choice, edgeBps), word);
    }

    /// @dev The hard cap in code on the edge governance may set for this game, in bps (<= 500).
    function _maxEdgeBps() internal pure virtual returns (uint16);

    /// @dev Callback gas each roll after the first adds to the configured `callbackGasLimit` (which
    /// covers a one-roll bet): a roll costs in {_play} its word's hash, the loop and the hook, and
    /// with a stop the stop checks: CoinToss about 500 (760 with a stop), Dice about 160 without a
    /// stop (its own {_rollsPayout}) and under 840 with one, so 1,000 keeps a margin. A game whose roll
    /// costs more overrides it.
    function _rollGas() internal pure virtual returns (uint32) {
        return 1_000;
    }

    // ------------------------------------------------------------------ players

    /// @notice Bet `stake` of `token` (address(0) = ETH) on `choice` (the game's ABI-encoded bet, see
    /// the game's NatSpec) for one roll.
    /// @param deposit paid into your Vault balance first: ETH as msg.value (must equal it), an ERC-20
    /// from your approval to the Vault; 0 to bet from your Vault balance alone
    /// @return betId the bet's id (its randomness request id)
    function placeBet(address token, uint256 stake, bytes calldata choice, uint256 deposit)
        external
        payable
        returns (uint256 betId)
    {
        TokenConfig memory config = _enabledConfig(token);
        _deposit(msg.sender, token, deposit);
        return _place(token, choice, _terms(config, stake, choice, 1, 0, 0));
    }

    /// @notice Bet `stake` per roll on `choice` for `rolls` rolls (1..MAX_ROLLS) settled by one
    /// random word: locks stake * rolls. After each roll the bet stops once it is up by `stopGain`
    /// or down by `stopLoss` (0 = no such stop); the unplayed rolls' stakes come back.
    /// @param stopGain at most what the bet can win (maxPayout - stake * rolls)
    /// @param stopLoss at most stake * rolls
    /// @param deposit as in {placeBet}
    function placeMultiBet(
        address token,
        uint256 stake,
        bytes calldata choice,
        uint16 rolls,
        uint256 stopGain,
        uint256 stopLoss,
        uint256 deposit
    ) external payable returns (uint256 betId) {
        TokenConfig memory config = _enabledConfig(token);
        _deposit(msg.sender, token, deposit);
        return _place(token, choice, _terms(config, stake, choice, rolls, stopGain, stopLoss));
    }

    /// @notice Several one-roll bets in one transaction, each with its own stake and choice.
    /// @param deposit as in {placeBet}, once for all the bets
    function placeBets(address token, uint256[] calldata stakes, bytes[] calldata choices, uint256 deposit)
        external
        payable
        returns (uint256[] memory betIds)
    {
        uint256 count = stakes.length;
        if (count != choices.length) revert LengthMismatch(count, choices.length);
        if (count == 0) revert NoBets();
        TokenConfig memory config = _enabledConfig(token);
        _deposit(msg.sender, token, deposit);
        betIds = new uint256[](count);
        for (uint256 i; i < count; ++i) {
            betIds[i] = _place(token, choices[i], _terms(config, stakes[i], choices[i], 1, 0, 0));
        }
    }

    /// @notice Anyone: unwind a bet whose request the coordinator no longer holds but whose lock
    /// is still open (its result callback failed): refunds the stakes. A request past its deadline
    /// is expired at the coordinator (`expire`), which pays the bond and unwinds the bet.
    /// @param lockId the bet's Vault lock (its Locked event's lockId; the bet's id is
    /// keccak256(abi.encode(game, lockId)))
    /// @param terms the bet's Vault lock as its Locked event states it (player, token, this game,
    /// the stakes, maxPayout, pool 0): the game keeps only their hash in the Vault, which refuses
    /// any other set (`BadLockTerms`).
    function settleTimedOut(uint256 lockId, IVault.LockTerms calldata terms) external {
        uint256 betId = _betIdOf(lockId);
        if (terms.game != address(this) || !_lockOpen(lockId)) revert NoOpenBet(lockId);
        if (coordinator.isPending(betId)) revert BetNotTimedOut(betId);
        // the stops and the choice, if the bet had them: it has no slot that says so
        delete _stops[betId];
        delete _choices[betId];
        vault.refund(lockId, terms);
        emit BetTimedOut(betId, terms.amount);
    }

    // ------------------------------------------------------------------ governance (owner = timelock)

    /// @notice Owner only: enable or disable betting in `token` and set its stake range per roll
    /// (1 <= minStake <= maxStake < 2^88: a larger stake's maxPayout could not be locked anyway)
    /// and edge (<= the game's cap). Open bets keep the terms they were placed with.
    function configureToken(address token, bool enabled, uint256 minStake, uint256 maxStake, uint16 edgeBps)
        external
        onlyOwner
    {
        uint16 cap = _maxEdgeBps();
        if (edgeBps > cap) revert EdgeAboveCap(edgeBps, cap);
        if (minStake == 0 || minStake > maxStake || maxStake > type(uint88).max) {
            revert BadStakeRange(minStake, maxStake);
        }
        // minStake != 0 once configured: a zero slot is a token never configured
        if (_tokens[token].minStake == 0) _configuredTokens.push(token);
        _tokens[token] = TokenConfig({
            edgeBps: edgeBps,
            enabled: enabled,
            minStake: uint88(minStake),
            maxStake: uint88(maxStake),
            lockDuration: uint24(lockDuration),
            callbackGasLimit: callbackGasLimit
        });
        emit TokenConfigured(token, enabled, minStake, maxStake, edgeBps);
    }

    /// @notice Owner only: the Vault lock duration of new bets (MIN_LOCK_DURATION..MAX_LOCK_DURATION).
    function setLockDuration(uint32 lockDuration_) external onlyOwner {
        _setLockDuration(lockDuration_);
    }

    // ------------------------------------------------------------------ views

    /// @notice Betting configuration of `token` (stakes per roll).
    function tokenConfig(address token)
        external
        view
        returns (bool enabled, uint256 minStake, uint256 maxStake, uint16 edgeBps)
    {
        TokenConfig memory config = _tokens[token];
        return (config.enabled, config.minStake, config.maxStake, config.edgeBps);
    }

    /// @notice The hard cap on the edge governance may set, in bps.
    function maxEdgeBps() external pure returns (uint16) {
        return _maxEdgeBps();
    }

    /// @notice Where the bet on Vault lock `lockId` stands (see {BetStatus}), and its id. Its
    /// terms are in its placing transaction's logs (see {BetPlaced}) and its result in its BetSettled or BetTimedOut event.
    function betStatusOf(uint256 lockId) external view returns (uint256 betId, BetStatus status) {
        betId = _betIdOf(lockId);
        if (coordinator.isPending(betId)) return (betId, BetStatus.AwaitingWord);
        // an open lock whose request is gone: the callback failed (or the lock is another game's:
        // it has no request of this game's, and refunding it here is refused)
        return (betId, _lockOpen(lockId) ? BetStatus.AwaitingRefund : BetStatus.Closed);
    }

    /// @notice One roll of `stake` on `choice` at `token`'s edge now: the most it pays and its
    /// house edge. Reverts with the game's error on a bad choice.
    function quote(address token, uint256 stake, bytes calldata choice)
        external
        view
        returns (uint256 maxPayout, uint256 houseEdge)
    {
        return _rollTerms(stake, choice, _tokens[token].edgeBps);
    }

    /// @notice The settlement rule of one roll, for auditors: its payout for a random word.
    function outcomeOf(uint256 word, uint256 stake, bytes calldata choice, uint16 edgeBps)
        external
        view
        returns (uint256 payout)
    {
        _checkAuditInput(stake, edgeBps);
        return _onlyRollPayout(stake, choice, edgeBps, word);
    }

    /// @notice {outcomeOf} for many words in one call (agreement tests, auditors).
    function outcomesOf(uint256[] calldata words, uint256 stake, bytes calldata choice, uint16 edgeBps)
        external
        view
        returns (uint256[] memory payouts)
    {
        _checkAuditInput(stake, edgeBps);
        uint256[] memory prepared = _prepareRolls(stake, choice, edgeBps);
        payouts = new uint256[](words.length);
        for (uint256 i; i < words.length; ++i) {
            payouts[i] = _rollPayout(prepared, words[i]);
        }
    }

    /// @notice The settlement of a whole bet for its request's word, for auditors: the rolls played
    /// and everything credited (payouts plus unplayed stakes). Inputs as in {placeMultiBet}.
    function playOf(
        uint256 word,
        uint256 stake,
        bytes calldata choice,
        uint16 edgeBps,
        uint16 rolls,
        uint256 stopGain,
        uint256 stopLoss
    ) external view returns (uint16 rollsPlayed, uint256 payout) {
        _checkAuditInput(stake, edgeBps);
        if (rolls == 0 || rolls > MAX_ROLLS) revert BadRolls(rolls, MAX_ROLLS);
        return _play(word, stake, choice, edgeBps, rolls, stopGain, stopLoss);
    }

    /// @notice The house edge a bet declares to the Vault: one roll's `rollEdge` times the rolls
    /// the bet plays for certain (see the contract notes).
    function declaredEdge(
        uint256 stake,
        uint256 rollMax,
        uint256 rollEdge,
        uint16 rolls,
        uint256 stopGain,
        uint256 stopLoss
    ) public pure returns (uint256) {
        uint256 certain = rolls;
        if (stopLoss != 0) certain = _min(certain, _ceilDiv(stopLoss, stake));
        if (stopGain != 0) certain = _min(certain, _ceilDiv(stopGain, rollMax - stake));
        return rollEdge * (certain > 0 ? certain : 1);
    }

    // ------------------------------------------------------------------ randomness

    /// @dev Settles inside the callback: the rolls, one Vault settle (which tells the registry),
    /// the event. The coordinator delivers each request once, and the Vault settles a lock once.
    function _onRandomness(uint256 requestId, uint256 word, IRandomnessCoordinator.Slash calldata slash, bytes32 data)
        internal
        virtual
        override
    {
        Bet memory bet = _unpack(data);
        IVault.LockTerms memory terms = _lockTerms(requestId, slash);
        // read before _resolve deletes them
        Stops memory stops = bet.hasStops ? _stops[requestId] : Stops(0, 0);
        (uint16 played, uint256 payout) = _play(
            word, terms.amount / bet.rolls, _choiceOf(requestId, bet), bet.edgeBps, bet.rolls, stops.stopGain, stops.stopLoss
        );
        _resolve(requestId, bet);
        vault.settle(bet.lockId, terms, payout);
        emit BetSettled(requestId, word, played, payout);
    }

    /// @dev The coordinator has already paid the bond's share to the player and the bankroll.
    /// Refunds the stakes unless the Vault's deadline backstop already did (the same refund).
    function _onRandomnessExpired(uint256 requestId, IRandomnessCoordinator.Slash calldata slash, bytes32 data)
        internal
        override
    {
        Bet memory bet = _unpack(data);
        _resolve(requestId, bet);
        IVault.LockTerms memory terms = _lockTerms(requestId, slash);
        bool open = _lockOpen(bet.lockId);
        // the player ends with W: the stakes back and the bond's W - stakes
        if (open) vault.refund(bet.lockId, terms);
        emit BetTimedOut(requestId, open ? terms.maxPayout : 0);
    }

    // ------------------------------------------------------------------ internals

    /// @dev The multi-roll loop (mirrored once in fairstake/rules/multiroll.py and once in
    /// web/src/games/multiroll.js). A one-roll bet is {_onlyRollPayout}. Otherwise the bet's
    /// per-roll work is done once ({_prepareRolls}); a roll is its word's hash and the game's
    /// {_rollPayout}, and a bet without a stop is summed by {_rollsPayout}. The free memory pointer is put back after each roll, so whatever a roll
    /// allocates is reused by the next: memory, and with it the callback's gas, never grows with
    /// the rolls beyond their own work.
    function _play(
        uint256 word,
        uint256 stake,
        bytes memory choice,
        uint16 edgeBps,
        uint16 rolls,
        uint256 stopGain,
        uint256 stopLoss
    ) internal view returns (uint16 played, uint256 payout) {
        if (rolls < 2) return (1, _onlyRollPayout(stake, choice, edgeBps, word)); // callers check rolls >= 1
        uint256[] memory prepared = _prepareRolls(stake, choice, edgeBps);
        // without a stop every roll plays: the loop needs no stop checks, and a game may sum it its own way
        if (stopGain == 0 && stopLoss == 0) return (rolls, _rollsPayout(prepared, word, rolls));
        uint256 freeMemory;
        assembly ("memory-safe") {
            freeMemory := mload(0x40)
        }
        uint256 i; // rolls played
        uint256 staked; // i * stake
        while (i < rolls) {
            payout += _rollPayout(prepared, _rollWord(word, i));
            assembly ("memory-safe") {
                mstore(0x40, freeMemory) // nothing a roll allocated is used after it
            }
            unchecked {
                ++i; // <= rolls
                staked += stake; // <= rolls * stake < 2^8 * 2^96 (callers bound stake below 2^96)
            }
            if (stopGain != 0 && payout >= staked + stopGain) break;
            if (stopLoss != 0 && staked >= payout + stopLoss) break;
        }
        played = uint16(i);
        payout += (rolls - i) * stake;
    }

    /// @dev The summed payout of rolls 0..rolls-1 of a bet without stops: the generic loop of
    /// {_play} without its stop checks. A game whose per-roll hook costs more than its outcome
    /// overrides it with a loop of its own, which must equal this sum for every word.
    function _rollsPayout(uint256[] memory prepared, uint256 word, uint256 rolls)
        internal
        view
        virtual
        returns (uint256 payout)
    {
        uint256 freeMemory;
        assembly ("memory-safe") {
            freeMemory := mload(0x40)
        }
        for (uint256 i; i < rolls; ) {
            payout += _rollPayout(prepared, _rollWord(word, i));
            assembly ("memory-safe") {
                mstore(0x40, freeMemory) // nothing a roll allocated is used after it
            }
            unchecked {
                ++i; // <= rolls
            }
        }
    }

    /// @dev Roll `i`'s word, keccak256(abi.encode(word, i)), hashed in the scratch space so no
    /// memory grows per roll.
    function _rollWord(uint256 word, uint256 i) internal pure returns (uint256 rollWord) {
        assembly ("memory-safe") {
            mstore(0x00, word)
            mstore(0x20, i)
            rollWord := keccak256(0x00, 0x40)
        }
    }

    /// @dev The whole bet's terms, fixed when it is placed (one memory struct: few stack slots).
    struct Terms {
        uint256 stake;
        uint16 rolls;
        uint16 edgeBps;
        uint256 stopGain;
        uint256 stopLoss;
        uint256 staked;
        uint256 maxPayout;
        uint256 houseEdge;
        uint256 lockId;
        uint64 deadline;
        uint32 callbackGas;
    }

    /// @dev Lock, request and record a bet on `choice` whose `terms` {_terms} checked.
    function _place(address token, bytes calldata choice, Terms memory terms) internal returns (uint256 betId) {
        // The Vault asks the player registry before it locks (breaks, limits, KYC).
        terms.lockId = vault.lock(
            msg.sender, token, terms.staked, terms.maxPayout, terms.houseEdge, terms.deadline, 0
        );
        bool hasStops = terms.stopGain != 0 || terms.stopLoss != 0;
        uint160 tail = _packChoice(choice);
        // The lock id names the request (the Vault never repeats one), and the bet rides in its data.
        // The coordinator never calls back synchronously, so storing what does not pack after the
        // request is safe.
        betId = _requestRandomness(
            _expirySlash(token, terms.maxPayout, terms.staked),
            terms.callbackGas,
            uint64(terms.lockId), // < 2^48: a Vault lock id is its token id above a 40-bit number
            _pack(
                Bet({
                    lockId: uint56(terms.lockId),
                    rolls: uint8(terms.rolls), // <= MAX_ROLLS
                    edgeBps: terms.edgeBps,
                    hasStops: hasStops,
                    tail: tail
                })
            )
        );
        if (tail == 0) _choices[betId] = choice;
        // both fit: stopGain <= maxPayout < 2^88, stopLoss <= staked
        if (hasStops) _stops[betId] = Stops({stopGain: uint128(terms.stopGain), stopLoss: uint128(terms.stopLoss)});
        if (tail == 0 || hasStops) emit BetTerms(betId, choice, terms.stopGain, terms.stopLoss);
        emit BetPlaced(betId);
    }

    /// @dev The terms of a bet of `rolls` rolls of `stake` on `choice`, checked against `config`
    /// and the game's rules (reverting on a bad bet).
    function _terms(
        TokenConfig memory config,
        uint256 stake,
        bytes calldata choice,
        uint16 rolls,
        uint256 stopGain,
        uint256 stopLoss
    ) internal view returns (Terms memory terms) {
        if (rolls == 0 || rolls > MAX_ROLLS) revert BadRolls(rolls, MAX_ROLLS);
        if (stake < config.minStake || stake > config.maxStake) {
            revert StakeOutOfRange(stake, config.minStake, config.maxStake);
        }
        (uint256 rollMax, uint256 rollEdge) = _rollTerms(stake, choice, config.edgeBps);
        if (rollMax <= stake) revert PayoutNotAboveStake(rollMax, stake);
        terms.stake = stake;
        terms.rolls = rolls;
        terms.edgeBps = config.edgeBps;
        terms.stopGain = stopGain;
        terms.stopLoss = stopLoss;
        terms.staked = stake * rolls; // < 2^88 * 2^7
        terms.maxPayout = rollMax * rolls;
        if (terms.maxPayout > type(uint88).max) revert PayoutTooLarge(terms.maxPayout);
        if (stopGain > terms.maxPayout - terms.staked || stopLoss > terms.staked) revert BadStop(stopGain, stopLoss);
        terms.houseEdge = declaredEdge(stake, rollMax, rollEdge, rolls, stopGain, stopLoss);
        terms.deadline = uint64(block.timestamp) + config.lockDuration;
        terms.callbackGas = config.callbackGasLimit + (rolls - 1) * _rollGas();
    }

    /// @dev What the bet's request reserves from the bond and pays on expiry: W - stakes to the
    /// player (the refunded stakes make W), the stakes to the bankroll. Both fit: W < 2^88.
    function _expirySlash(address token, uint256 maxPayout, uint256 staked)
        internal
        view
        virtual
        returns (IRandomnessCoordinator.Slash memory)
    {
        return IRandomnessCoordinator.Slash({
            token: token,
            amount: uint96(maxPayout),
            beneficiary: msg.sender,
            beneficiaryAmount: uint88(maxPayout - staked),
            residualToBankroll: true
        });
    }

    /// @dev The id of the bet on Vault lock `lockId`: its request's, named by the lock id.
    function _betIdOf(uint256 lockId) private view returns (uint256) {
        if (lockId > type(uint56).max) revert NoOpenBet(lockId); // not a lock id (a bet id, say)
        return _requestIdOf(uint64(lockId));
    }

    /// @dev The bet leaves Pending for good: whatever it kept in storage goes.
    function _resolve(uint256 betId, Bet memory bet) internal {
        if (bet.hasStops) delete _stops[betId];
        if (bet.tail & PACKED != PACKED) delete _choices[betId];
    }

    /// @dev A bet's data word (layout at {Bet}).
    function _pack(Bet memory bet) private pure returns (bytes32) {
        return bytes32(
            uint256(bet.lockId) | (uint256(bet.rolls) << 56) | (uint256(bet.edgeBps) << 64)
                | ((bet.hasStops ? uint256(1) : 0) << 88) | (uint256(bet.tail) << 96)
        );
    }

    /// @dev The bet of a data word {_pack} made (the coordinator checked it against the request).
    function _unpack(bytes32 data) internal pure returns (Bet memory bet) {
        uint256 word = uint256(data);
        bet.lockId = uint56(word);
        bet.rolls = uint8(word >> 56);
        bet.edgeBps = uint16(word >> 64);
        bet.hasStops = (word >> 88) & 1 == 1;
        bet.tail = uint160(word >> 96);
    }

    /// @dev The terms the Vault hashed when it locked a bet (its id, unread here, is the first
    /// argument), from the bond reservation its request committed ({_expirySlash}: beneficiary =
    /// the player, bondAmount = W, beneficiaryAmount = W - stakes). A game whose slash says
    /// otherwise overrides this.
    function _lockTerms(uint256, IRandomnessCoordinator.Slash calldata slash)
        internal
        view
        virtual
        returns (IVault.LockTerms memory)
    {
        return IVault.LockTerms({
            player: slash.beneficiary,
            token: slash.token,
            game: address(this),
            amount: slash.amount - slash.beneficiaryAmount, // beneficiaryAmount <= amount (coordinator)
            maxPayout: slash.amount,
            poolId: 0
        });
    }

    /// @dev A choice of one or two ABI words, each below 2^79 (every game's but a long list's),
    /// packs into the bet's slot; 0 for any other (stored as bytes).
    function _packChoice(bytes calldata choice) private pure returns (uint160) {
        uint256 length = choice.length;
        if (length != 32 && length != 64) return 0;
        uint256 first;
        uint256 second;
        // both words lie inside `choice` (its length was just checked): no slice bounds checks
        // slither-disable-next-line assembly -- two calldata words of a checked length
        assembly ("memory-safe") {
            first := calldataload(choice.offset)
            if eq(length, 64) { second := calldataload(add(choice.offset, 32)) }
        }
        if ((first | second) >> WORD_BITS != 0) return 0;
        return PACKED | (length == 64 ? TWO_WORDS : 0) | uint160((second << WORD_BITS) | first);
    }

    /// @dev A pending bet's choice, as it was placed.
    function _choiceOf(uint256 betId, Bet memory bet) internal view returns (bytes memory) {
        uint160 tail = bet.tail;
        if (tail & PACKED != PACKED) return _choices[betId];
        uint256 mask = (1 << WORD_BITS) - 1;
        uint256 first = tail & mask;
        if (tail & TWO_WORDS != TWO_WORDS) return abi.encode(first);
        return abi.encode(first, (uint256(tail) >> WORD_BITS) & mask);
    }

    function _checkAuditInput(uint256 stake, uint16 edgeBps) private pure {
        uint16 cap = _maxEdgeBps();
        if (edgeBps > cap) revert EdgeAboveCap(edgeBps, cap);
        if (stake > type(uint96).max) revert StakeOutOfRange(stake, 0, type(uint96).max);
    }

    function _enabledConfig(address token) internal view returns (TokenConfig memory config) {
        config = _tokens[token];
        if (!config.enabled) revert TokenNotEnabled(token);
    }

    function _setLockDuration(uint32 lockDuration_) private {
        if (lockDuration_ < MIN_LOCK_DURATION || lockDuration_ > MAX_LOCK_DURATION || lockDuration_ <= maxFulfilDelay) {
            revert BadLockDuration(lockDuration_);
        }
        lockDuration = lockDuration_;
        uint256 count = _configuredTokens.length;
        for (uint256 i; i < count; ++i) {
            _tokens[_configuredTokens[i]].lockDuration = uint24(lockDuration_); // <= MAX_LOCK_DURATION
        }
        emit LockDurationSet(lockDuration_);
    }

    function _callbackGasSet(uint32 callbackGasLimit_) internal override {
        uint256 count = _configuredTokens.length;
        for (uint256 i; i < count; ++i) {
            _tokens[_configuredTokens[i]].callbackGasLimit = callbackGasLimit_;
        }
    }

    function _ceilDiv(uint256 a, uint256 b) private pure returns (uint256) {
        return (a + b - 1) / b;
    }

    function _min(uint256 a, uint256 b) private pure returns (uint256) {
        return a < b ? a : b;
    }
}
