// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IWeightedGameErrors} from "../../interfaces/IGameErrors.sol";
import {ChanceGame} from "./ChanceGame.sol";
import {WeightedRules} from "./WeightedRules.sol";

/// @title WeightedGame
/// @notice The weighted-multiplier games (Wheel, Plinko) on the chance-game engine: the engine's
/// hooks by {WeightedRules}, over configurations governance adds under ids that are immutable
/// once added (a new table is a new id; a configuration may only be disabled for new bets, so a
/// placed bet always settles by the table it was placed on).
///
/// A bet's choice is `abi.encode(uint32 configId)`. One roll lands on segment i of the
/// configuration with probability weight_i / totalWeight and pays stake * multiplier_i / 1e4
/// (WeightedRules). The configuration's RTP is computed on chain when it is added and refused
/// outside [95 %, 98 %] (hard caps in code), so its house edge lies in [2 %, 5 %]: the edge is
/// the configuration's, and the engine's per-token edge is capped at 0 (`_maxEdgeBps`).
///
/// Storage: a configuration is one header slot and ceil(segments / 4) slots of packed segments,
/// written once. A bet adds nothing to the engine's slots (its choice is one word).
abstract contract WeightedGame is IWeightedGameErrors, ChanceGame {
    /// @notice How many configurations were added; their ids are 1..configCount.
    uint32 public configCount;

    mapping(uint32 configId => WeightedRules.Config) private _configs;
    mapping(uint32 configId => uint256[16]) private _segments;

    /// @param weightedSum sum(weight_i * multiplier_i): the RTP is weightedSum / (totalWeight * 1e4)
    event ConfigAdded(
        uint32 indexed configId,
        uint8 risk,
        uint16[] weights,
        uint32[] multipliers,
        uint256 totalWeight,
        uint256 weightedSum
    );
    /// @notice A configuration opened or closed for new bets (placed bets settle regardless).
    event ConfigEnabled(uint32 indexed configId, bool enabled);

    constructor(GameWiring memory wiring, uint32 lockDuration_) ChanceGame(wiring, lockDuration_) {}

    /// @notice Owner only: open or close configuration `configId` for new bets.
    function setConfigEnabled(uint32 configId, bool enabled) external onlyOwner {
        if (configId == 0 || configId > configCount) revert UnknownConfig(configId);
        _configs[configId].enabled = enabled;
        emit ConfigEnabled(configId, enabled);
    }

    /// @notice Configuration `configId`: its header (total weight, largest multiplier, weighted
    /// sum, segment count, risk label, enabled) and its segments' weights and multipliers (1e4 fixed point).
    function configOf(uint32 configId)
        external
        view
        returns (WeightedRules.Config memory config, uint16[] memory weights, uint32[] memory multipliers)
    {
        config = _known(configId);
        uint256[16] storage packed = _segments[configId];
        weights = new uint16[](config.segments);
        multipliers = new uint32[](config.segments);
        uint256 previous = 0;
        for (uint256 i; i < config.segments; ++i) {
            uint256 lane = packed[i / 4] >> (64 * (i % 4));
            uint256 cumulative = uint32(lane);
            weights[i] = uint16(cumulative - previous);
            multipliers[i] = uint32(lane >> 32);
            previous = cumulative;
        }
    }

    /// @dev Check, pack and store a configuration under the next id.
    function _addConfig(uint16[] memory weights, uint32[] memory multipliers, uint8 risk)
        internal
        returns (uint32 configId)
    {
        (WeightedRules.Config memory config, uint256[16] memory packed) =
            WeightedRules.pack(weights, multipliers, risk);
        configId = ++configCount;
        _configs[configId] = config;
        uint256[16] storage stored = _segments[configId];
        for (uint256 i; i * 4 < weights.length; ++i) {
            stored[i] = packed[i];
        }
        emit ConfigAdded(configId, risk, weights, multipliers, config.totalWeight, config.weightedSum);
    }

    /// @dev One roll's terms on an enabled configuration (WeightedRules.terms); `edgeBps` is unused.
    function _rollTerms(uint256 stake, bytes memory choice, uint16)
        internal
        view
        override
        returns (uint256 maxPayout, uint256 houseEdge)
    {
        uint32 configId = _configId(choice);
        WeightedRules.Config memory config = _known(configId);
        if (!config.enabled) revert ConfigDisabled(configId);
        return WeightedRules.terms(stake, config);
    }

    /// @dev [stake, total weight, segment count, the storage slot of the segments] of the bet's
    /// configuration, enabled or not (reverts BadChoice or UnknownConfig); `edgeBps` is unused.
    /// The header is read once; each roll's binary search reads the segments' slots, warm after the
    /// first roll that read them.
    function _prepareRolls(uint256 stake, bytes memory choice, uint16)
        internal
        view
        override
        returns (uint256[] memory prepared)
    {
        uint32 configId = _configId(choice);
        WeightedRules.Config memory config = _known(configId);
        uint256[16] storage words = _segments[configId];
        uint256 slot;
        assembly ("memory-safe") {
            slot := words.slot
        }
        prepared = new uint256[](4);
        prepared[0] = stake;
        prepared[1] = config.totalWeight;
        prepared[2] = config.segments;
        prepared[3] = slot;
    }

    /// @dev The segment the word lands on ({WeightedRules-landOn}) and its payout.
    function _rollPayout(uint256[] memory prepared, uint256 word) internal view override returns (uint256) {
        uint256[16] storage words;
        uint256 slot = prepared[3];
        assembly ("memory-safe") {
            words.slot := slot
        }
        // slither-disable-next-line unused-return -- the landed segment is for views; a roll pays by its multiplier
        (, uint256 multiplier) = WeightedRules.landOn(words, prepared[1], prepared[2], word);
        return WeightedRules.payout(prepared[0], multiplier);
    }

    /// @dev A one-roll bet lands its word on the configuration's segments directly, without
    /// laying out a preparation.
    function _onlyRollPayout(uint256 stake, bytes memory choice, uint16, uint256 word)
        internal
        view
        override
        returns (uint256)
    {
        uint32 configId = _configId(choice);
        // slither-disable-next-line unused-return -- the landed segment is for views; a roll pays by its multiplier
        (, uint256 multiplier) = WeightedRules.land(_segments[configId], _known(configId), word);
        return WeightedRules.payout(stake, multiplier);
    }

    /// @dev Callback gas each roll after the first adds: measured up to about 2,720 per roll on the
    /// deployment's 50-segment wheel (the word's hash and the binary search over the segments'
    /// slots, warm once read; a 64-segment configuration searches as deep), 2,130 on a 17-slot
    /// board. The first read of each slot (2,100 more, at most 16 slots a bet) falls within the
    /// margin and the one-roll `callbackGasLimit`'s.
    function _rollGas() internal pure override returns (uint32) {
        return 4_000;
    }

    /// @dev The edge is the configuration's (capped by its RTP); the per-token edge must be 0.
    function _maxEdgeBps() internal pure override returns (uint16) {
        return 0;
    }

    function _known(uint32 configId) private view returns (WeightedRules.Config memory config) {
        config = _configs[configId];
        if (config.segments == 0) revert UnknownConfig(configId);
    }

    /// @dev abi.decode would revert without a reason on a malformed choice; this names it.
    function _configId(bytes memory choice) private pure returns (uint32) {
        if (choice.length != 32) revert BadChoice();
        uint256 raw = abi.decode(choice, (uint256));
        if (raw > type(uint32).max) revert BadChoice();
        return uint32(raw);
    }
}
