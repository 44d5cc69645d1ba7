#pragma once

// The DataStream API in one include, with Flink's names in namespace eddy.

#include "eddy/api/connected_streams.h"
#include "eddy/api/data_stream.h"
#include "eddy/api/keyed_stream.h"
#include "eddy/api/stream_execution_environment.h"
#include "eddy/api/windowed_stream.h"
#include "eddy/operators/source/file_source.h"
#include "eddy/operators/window/evictor.h"
#include "eddy/operators/window/trigger.h"
#include "eddy/operators/window/window_assigner.h"
#include "eddy/operators/window/window_function.h"

namespace eddy {

using api::BroadcastConnectedStream;
using api::CheckpointConfig;
using api::JobClient;
using runtime::ExternalizedCheckpointCleanup;
using api::RestartStrategy;
using api::SavepointRestoreSettings;
using runtime::CheckpointingMode;
using state::EmbeddedRocksDBStateBackend;
using state::HashMapStateBackend;
using api::BroadcastStream;
using api::ConnectedStreams;
using api::DataStream;
using api::KeyedConnectedStreams;
using api::KeyedStream;
using api::SingleOutputStreamOperator;
using api::StreamExecutionEnvironment;
using api::WindowedStream;
using runtime::AverageAccumulator;
using runtime::DoubleCounter;
using runtime::Histogram;
using runtime::IntCounter;
using runtime::JobExecutionResult;
using runtime::LongCounter;
using runtime::OutputTag;

using operators::BroadcastProcessFunction;
using operators::BroadcastState;
using operators::CheckpointedFunction;
using operators::CheckpointListener;
using operators::Collector;
using operators::FunctionInitializationContext;
using operators::FunctionSnapshotContext;
using operators::CoProcessFunction;
using operators::KeyedBroadcastProcessFunction;
using operators::KeyedCoProcessFunction;
using operators::ReadOnlyBroadcastState;
using operators::KeyedProcessFunction;
using operators::ProcessFunction;
using operators::ProcessWindowFunction;
using operators::RichFunction;
using operators::RuntimeContext;
using operators::SinkFunction;

using operators::CollectionSource;
using operators::CsvRow;
using operators::FileSource;
using operators::GeneratorSource;
using operators::PunctuatedBoundedOutOfOrderness;
using operators::ReaderOutput;
using operators::Source;
using operators::SplitReader;
using operators::WatermarkGenerator;
using operators::WatermarkOutput;
using operators::WatermarkStrategy;

using operators::CollectSink;
using operators::FileSink;
using operators::FileTransaction;
using operators::OutputFileConfig;
using operators::SimpleStringEncoder;
using operators::TwoPhaseCommitSinkFunction;
using operators::DiscardingSink;
using operators::PrintSinkFunction;
using operators::TextFileSink;

using operators::EventTimeSessionWindows;
using operators::GlobalWindow;
using operators::GlobalWindows;
using operators::ProcessingTimeSessionWindows;
using operators::SlidingEventTimeWindows;
using operators::SlidingProcessingTimeWindows;
using operators::TimeWindow;
using operators::TumblingEventTimeWindows;
using operators::TumblingProcessingTimeWindows;

using operators::CountEvictor;
using operators::DeltaEvictor;
using operators::Evictor;
using operators::TimeEvictor;
using operators::Trigger;
using operators::TriggerContext;
using operators::TriggerResult;
template <typename W = TimeWindow>
using EventTimeTrigger = operators::EventTimeTriggerT<W>;
template <typename W = TimeWindow>
using ProcessingTimeTrigger = operators::ProcessingTimeTriggerT<W>;
template <typename W = GlobalWindow>
using CountTrigger = operators::CountTriggerT<W>;
template <typename W = TimeWindow>
using PurgingTrigger = operators::PurgingTriggerT<W>;
template <typename W = TimeWindow>
using ContinuousEventTimeTrigger = operators::ContinuousEventTimeTriggerT<W>;

using state::AggregateFunction;
using state::AggregatingState;
using state::AggregatingStateDescriptor;
using state::ListState;
using state::ListStateDescriptor;
using state::MapState;
using state::MapStateDescriptor;
using state::ReducingState;
using state::ReducingStateDescriptor;
using state::StateTtlConfig;
using state::ValueState;
using state::ValueStateDescriptor;

}  // namespace eddy
